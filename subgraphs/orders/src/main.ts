import { runSubgraph, startService } from '@edgeway/platform';
import { buildApp } from './app.js';

startService(() => runSubgraph('orders', 4105, buildApp));
