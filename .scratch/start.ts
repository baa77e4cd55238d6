import { SERVICES, startService } from '../scripts/system.js';
const t = Date.now();
const s = await startService(SERVICES[0], { PORT: '0', NODE_ENV: 'test' }, { onLine: (_n, l) => { if (l.includes('rror')) console.log(l); } });
console.log('started', s.url, Date.now() - t, 'ms');
s.child.kill('SIGTERM');
