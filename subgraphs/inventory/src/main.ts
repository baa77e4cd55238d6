import { runSubgraph, startService } from '@edgeway/platform';
import { buildApp } from './app.js';

startService(() => runSubgraph('inventory', 4104, buildApp));
