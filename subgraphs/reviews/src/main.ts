import { runSubgraph, startService } from '@edgeway/platform';
import { buildApp } from './app.js';

startService(() => runSubgraph('reviews', 4103, buildApp));
