import { config } from 'zod';

// zod probes `new Function` when a schema is defined, to compile faster parsers; mesoscope's CSP forbids eval,
// so every probe would be reported as a violation. Imported first by main.tsx, before any schema is defined.
config({ jitless: true });
