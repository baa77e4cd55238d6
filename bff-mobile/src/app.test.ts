import { describeBffEdge } from '@edgeway/bff-kit/testing';
import { bff } from './app.js';

describeBffEdge(bff, '{ home { topProducts { upc } } }');
