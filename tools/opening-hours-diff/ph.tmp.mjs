import { reference } from './reference.mjs';
const oh = reference('PH', 'DE', 48.1, 11.5);
console.log(oh.getOpenIntervals(new Date(2026,0,1), new Date(2027,0,1)).map(([a,b])=>a.toDateString()+'-'+b.toDateString()).join('\n'));
