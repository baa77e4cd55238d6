import { runSubgraph, startService } from '@edgeway/platform';
import { buildApp } from './app.js';

startService(() => runSubgraph('products', 4102, buildApp));
