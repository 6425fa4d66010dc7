// What `smtp-egress check --probe --json` prints: the settings check and the probe of the
// configured path, side by side, in one envelope with its own schema id.
import { z } from './zod.ts';
import { ConfigReport } from './config-report.ts';
import { ProbeReport } from './probe-report.ts';

export const CHECK_PROBE_SCHEMA_ID = 'smtp-egress/check-probe@1';

export const CheckProbeReport = z.object({
  schema: z.literal(CHECK_PROBE_SCHEMA_ID),
  config: ConfigReport,
  probe: ProbeReport,
});
export type CheckProbeReport = z.infer<typeof CheckProbeReport>;
