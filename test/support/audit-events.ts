/**
 * Events shaped like real audit logs, for tests and the bench: Kubernetes audit events
 * (audit.k8s.io/v1 Event), AWS CloudTrail records (eventVersion 1.08), and application logs
 * that carry their own `seq` and `time` members. Real events nest members named like the
 * bundle's own (`seq`, `time`, `ts`-like timestamps, `id`), so a parser that looks for the
 * entry's members anywhere in the line would be fooled: these shapes make sure it is not.
 *
 * Field names and value forms follow the public schemas (Kubernetes API reference,
 * "Event v1 audit.k8s.io"; AWS CloudTrail User Guide, "CloudTrail record contents").
 * Everything is derived from a seeded PRNG: the same (kind, i, seed) gives the same bytes.
 */
import { prng } from './fixtures.js';

export type AuditEventKind = 'k8s' | 'cloudtrail' | 'applog';
export const AUDIT_EVENT_KINDS: readonly AuditEventKind[] = ['k8s', 'cloudtrail', 'applog'];

/** Fixed start of every generated stream: 2026-03-01T00:00:00Z. */
const START_MS = Date.UTC(2026, 2, 1);

const USERS = [
  'alice@corp.example',
  'bob@corp.example',
  'system:serviceaccount:kube-system:deployment-controller',
  'system:kube-scheduler',
  'carol@corp.example',
  'ci-deployer',
];
const GROUPS = [
  ['system:authenticated'],
  ['system:masters', 'system:authenticated'],
  ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
];
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const RESOURCES = ['pods', 'secrets', 'configmaps', 'deployments', 'serviceaccounts', 'rolebindings', 'leases'];
const NAMESPACES = ['default', 'kube-system', 'payments', 'monitoring', 'ingress-nginx'];
const AGENTS = [
  'kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46',
  'kube-controller-manager/v1.31.2 (linux/amd64) kubernetes/5864a46/system:serviceaccount:kube-system:deployment-controller',
  'Go-http-client/2.0',
];

const CT_SOURCES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['s3.amazonaws.com', ['GetObject', 'PutObject', 'DeleteObject', 'PutBucketPolicy']],
  ['iam.amazonaws.com', ['CreateAccessKey', 'AttachUserPolicy', 'DeleteUser', 'UpdateAssumeRolePolicy']],
  ['ec2.amazonaws.com', ['RunInstances', 'TerminateInstances', 'AuthorizeSecurityGroupIngress', 'DescribeInstances']],
  ['sts.amazonaws.com', ['AssumeRole', 'GetCallerIdentity']],
  ['kms.amazonaws.com', ['Decrypt', 'ScheduleKeyDeletion']],
];
const REGIONS = ['eu-central-1', 'us-east-1', 'eu-west-1'];
const IAM_USERS = ['deploy-bot', 'alice', 'bob', 'break-glass-admin'];

const SERVICES = ['billing-api', 'auth-gateway', 'ledger-writer', 'report-exporter'];
const LEVELS = ['info', 'info', 'info', 'warn', 'error', 'audit'];
const MESSAGES = [
  'user signed in',
  'payment captured',
  'role granted',
  'export requested',
  'password reset issued',
  'session revoked',
  'configuration changed',
];

function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)] as T;
}

function hex(rand: () => number, n: number): string {
  let s = '';
  for (let k = 0; k < n; k++) s += '0123456789abcdef'[Math.floor(rand() * 16)];
  return s;
}

function uuid(rand: () => number): string {
  const h = hex(rand, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

function ip(rand: () => number): string {
  return `10.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${1 + Math.floor(rand() * 254)}`;
}

/** Time of event i: about one event per 1.3 s, strictly increasing, millisecond precision. */
export function auditTimeMs(i: number): number {
  return START_MS + i * 1300 + (i % 7) * 11;
}

function isoMicro(ms: number, micros: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.(\d{3})Z$/, (_, m: string) => `.${m}${String(micros).padStart(3, '0')}Z`);
}

function k8sEvent(i: number, rand: () => number): Record<string, unknown> {
  const ms = auditTimeMs(i);
  const verb = pick(rand, VERBS);
  const resource = pick(rand, RESOURCES);
  const namespace = pick(rand, NAMESPACES);
  const name = `${resource.replace(/s$/, '')}-${hex(rand, 5)}`;
  const user = pick(rand, USERS);
  const denied = rand() < 0.04;
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: resource === 'secrets' ? 'Metadata' : 'RequestResponse',
    auditID: uuid(rand),
    stage: 'ResponseComplete',
    requestURI: `/api/v1/namespaces/${namespace}/${resource}/${name}`,
    verb,
    user: { username: user, uid: uuid(rand), groups: pick(rand, GROUPS) },
    sourceIPs: [ip(rand)],
    userAgent: pick(rand, AGENTS),
    objectRef: { resource, namespace, name, apiVersion: 'v1', resourceVersion: String(100000 + i * 3) },
    responseStatus: denied
      ? { metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403 }
      : { metadata: {}, code: verb === 'create' ? 201 : 200 },
    requestReceivedTimestamp: isoMicro(ms, 0),
    stageTimestamp: isoMicro(ms + 3, Math.floor(rand() * 1000)),
    annotations: {
      'authorization.k8s.io/decision': denied ? 'forbid' : 'allow',
      'authorization.k8s.io/reason': denied
        ? ''
        : `RBAC: allowed by ClusterRoleBinding "${pick(rand, ['cluster-admin', 'system:controller:deployment-controller', 'payments-operators'])}"`,
    },
  };
}

function cloudTrailRecord(i: number, rand: () => number): Record<string, unknown> {
  const ms = auditTimeMs(i);
  const [eventSource, names] = pick(rand, CT_SOURCES);
  const eventName = pick(rand, names);
  const region = pick(rand, REGIONS);
  const userName = pick(rand, IAM_USERS);
  const accountId = '123456789012';
  const readOnly = eventName.startsWith('Get') || eventName.startsWith('Describe');
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: `AIDA${hex(rand, 16).toUpperCase()}`,
      arn: `arn:aws:iam::${accountId}:user/${userName}`,
      accountId,
      accessKeyId: `AKIA${hex(rand, 16).toUpperCase()}`,
      userName,
      sessionContext: {
        attributes: {
          creationDate: new Date(ms - 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          mfaAuthenticated: String(rand() < 0.5),
        },
      },
    },
    eventTime: new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource,
    eventName,
    awsRegion: region,
    sourceIPAddress: ip(rand),
    userAgent: pick(rand, [
      'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.8',
      'Boto3/1.35.2 md/Botocore#1.35.2 ua/2.0 os/linux',
      'console.amazonaws.com',
    ]),
    requestParameters:
      eventSource === 's3.amazonaws.com'
        ? { bucketName: `corp-${pick(rand, ['logs', 'backups', 'exports'])}`, key: `2026/${hex(rand, 8)}.json.gz` }
        : { userName: pick(rand, IAM_USERS) },
    responseElements: readOnly ? null : { requestId: uuid(rand) },
    requestID: uuid(rand),
    eventID: uuid(rand),
    readOnly,
    eventType: 'AwsApiCall',
    managementEvent: eventSource !== 's3.amazonaws.com',
    recipientAccountId: accountId,
    eventCategory: eventSource === 's3.amazonaws.com' ? 'Data' : 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: `${eventSource.split('.')[0]}.${region}.amazonaws.com`,
    },
  };
}

function appLogEvent(i: number, rand: () => number): Record<string, unknown> {
  const ms = auditTimeMs(i);
  const padding = Math.floor(rand() * 600);
  return {
    // The application's own counters and clock, named like the bundle's members on purpose.
    seq: 5_000_000 + i,
    time: new Date(ms - 2).toISOString(),
    ts: ms - 2,
    id: `req-${hex(rand, 12)}`,
    level: pick(rand, LEVELS),
    service: pick(rand, SERVICES),
    host: `node-${Math.floor(rand() * 40)}.prod.internal`,
    msg: pick(rand, MESSAGES),
    trace_id: hex(rand, 32),
    span_id: hex(rand, 16),
    actor: { id: `u-${Math.floor(rand() * 90000)}`, seq: Math.floor(rand() * 1000), ip: ip(rand) },
    attrs: { amount_cents: Math.floor(rand() * 1_000_000), currency: 'EUR', note: 'x'.repeat(padding) },
  };
}

/**
 * Event i of a deterministic stream of `kind`. Serialised, a k8s event is about 900–1,200
 * bytes, a CloudTrail record about 1,100–1,400, an application log line about 450–1,100.
 */
export function auditEvent(kind: AuditEventKind, i: number, seed = 7): Record<string, unknown> {
  // One PRNG per event, seeded from (seed, i): any event can be made alone, in any order.
  const rand = prng((Math.imul(seed, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0);
  switch (kind) {
    case 'k8s':
      return k8sEvent(i, rand);
    case 'cloudtrail':
      return cloudTrailRecord(i, rand);
    case 'applog':
      return appLogEvent(i, rand);
  }
}

/** The bundle ts for event i: the event's own time as RFC 3339 UTC with milliseconds. */
export function auditTs(i: number): string {
  return new Date(auditTimeMs(i)).toISOString();
}
