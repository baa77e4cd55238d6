import { runBff } from '@edgeway/bff-kit';
import { startService } from '@edgeway/platform';
import { bff } from './app.js';

startService(() => runBff(bff));
