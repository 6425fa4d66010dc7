// Amazon SES SMTP endpoints: the regions that have one and the host's shape. No crypto here (the
// password derivation is in ses-smtp-password.ts), so the provider presets can use it in the page.

/**
 * Regions with an SES SMTP endpoint email-smtp.<region>.amazonaws.com, from AWS's endpoint table
 * (https://docs.aws.amazon.com/general/latest/gr/ses.html, checked 2026-11-01). A region that is
 * not listed still derives (the algorithm is the same); config-check flags it as unknown.
 */
export const SES_SMTP_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ca-central-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-north-1',
  'eu-south-1',
  'il-central-1',
  'me-south-1',
  'me-central-1',
  'sa-east-1',
  'us-gov-west-1',
  'us-gov-east-1',
];

export const SES_HOST = /^email-smtp(-fips)?\.([a-z]{2}(?:-gov)?-[a-z]+-\d+)\.amazonaws\.com\.?$/i;
export const REGION_SHAPE = /^[a-z]{2}(-gov)?-[a-z]+-\d+$/;

export function sesRegionFromHost(host: string): string | null {
  const m = SES_HOST.exec(host.trim());
  return m?.[2]?.toLowerCase() ?? null;
}

export function sesSmtpHost(region: string): string {
  return `email-smtp.${region}.amazonaws.com`;
}
