// The platform names every surface accepts (--platform, the `platform` fields): the ones
// detectPlatform reports and every policy's id and aliases. Here, not in config-check, so a
// caller that only validates a name (the classify-logs function) does not bundle the settings readers.
import { PLATFORM_NAMES } from './detect.ts';
import { POLICY_NAMES } from './egress-policies.ts';

export const KNOWN_PLATFORMS: readonly string[] = [...new Set([...PLATFORM_NAMES, ...POLICY_NAMES])].sort();
