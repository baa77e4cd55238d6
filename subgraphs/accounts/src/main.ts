import { runSubgraph, startService } from '@edgeway/platform';
import { buildApp } from './app.js';

startService(() => runSubgraph('accounts', 4101, buildApp));
