import { z } from 'zod';
import { CatalogEntryConfig } from '../junos/catalog/index.js';

// One schema for samon's configuration: YAML file (--config), then SAMON_* environment
// overrides, validated once at startup. Defaults give a working embedded setup.

const Port = z.number().int().min(0).max(65535);
const Host = z.string().min(1);

const commaList = (value: unknown) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

const TlsFiles = z.strictObject({
  ca: z.string().optional().describe('PEM file of the CA that signs the peer certificates'),
  cert: z.string().optional().describe('PEM certificate file'),
  key: z.string().optional().describe('PEM private key file'),
  rejectUnauthorized: z.boolean().default(true),
});

export const SqliteLogConfig = z.strictObject({
  path: z.string().min(1).default('./data/samon.db'),
  partitions: z.number().int().min(1).max(1024).default(4),
});

export const KafkaLogConfig = z.strictObject({
  brokers: z.preprocess(
    commaList,
    z.array(z.string().regex(/^[^\s:]+:\d+$/, 'expected host:port')).min(1),
  ),
  clientId: z.string().default('samon'),
  partitions: z.number().int().min(1).max(10_000).default(12),
  replicationFactor: z.number().int().min(1).default(1),
  ssl: z.union([z.boolean(), TlsFiles]).default(false),
  sasl: z
    .strictObject({
      mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
      username: z.string().min(1),
      password: z.string().min(1),
    })
    .optional(),
});

export const LogConfig = z
  .strictObject({
    kind: z.enum(['sqlite', 'kafka']).default('sqlite'),
    sqlite: SqliteLogConfig.default(SqliteLogConfig.parse({})),
    kafka: KafkaLogConfig.optional(),
  })
  .refine((log) => log.kind !== 'kafka' || log.kafka !== undefined, {
    message:
      'log.kind is kafka but log.kafka.brokers is not set (e.g. SAMON_LOG__KAFKA__BROKERS=host:9092)',
    path: ['kafka'],
  });

const Listener = (port: number) =>
  z.strictObject({
    enabled: z.boolean().default(true),
    host: Host.default('127.0.0.1'),
    port: Port.default(port),
  });

export const SyslogConfig = z.strictObject({
  udp: Listener(5514)
    .extend({
      /**
       * Read the socket on a thread of its own (default), or on the collector's thread: false
       * suits a one-core host, where the extra thread costs more than it saves.
       */
      receiveThread: z.boolean().default(true),
    })
    .default({ enabled: true, host: '127.0.0.1', port: 5514, receiveThread: true }),
  tcp: Listener(5514).default({ enabled: true, host: '127.0.0.1', port: 5514 }),
  tls: z
    .strictObject({
      enabled: z.boolean().default(false),
      host: Host.default('127.0.0.1'),
      port: Port.default(6514),
      ...TlsFiles.shape,
    })
    .default({ enabled: false, host: '127.0.0.1', port: 6514, rejectUnauthorized: true }),
  maxMessageBytes: z
    .number()
    .int()
    .min(480)
    .max(1 << 20)
    .default(65_536),
  /** Year for year-less (RFC 3164) timestamps; default: from the receive time. */
  year: z.number().int().min(1970).max(9999).optional(),
  /** Zone for zone-less timestamps: an IANA name or an offset such as +01:00. */
  timezone: z.string().default('UTC'),
  /** Operator catalog entries added to the built-in kmd catalog (docs/syslog.md). */
  catalog: z.array(CatalogEntryConfig).default([]),
});

export const JunosConfigFiles = z.strictObject({
  /** Router configuration files to import (curly or `display set` form). */
  files: z
    .array(z.strictObject({ path: z.string().min(1), router: z.string().min(1).optional() }))
    .default([]),
});

export const ProjectionConfig = z.strictObject({
  rekeyGraceSeconds: z.number().int().min(0).default(60),
  routerSilenceSeconds: z.number().int().min(1).default(600),
  clockIntervalSeconds: z.number().int().min(1).default(10),
  snapshotEveryRecords: z.number().int().min(1).default(10_000),
  /** At most one snapshot per partition per this many seconds (a snapshot writes the whole state). */
  snapshotMinIntervalSeconds: z.number().min(0).default(30),
  groupId: z.string().min(1).default('samon-projector'),
  /**
   * What lifecycle events cite for earlier observations: `id`, the observation's place in the
   * log (`partition@offset`, read back as its raw line for timelines: ~270 B of heap per live
   * SA), or `line`, the raw line itself (~540 B per SA).
   */
  evidence: z.enum(['id', 'line']).default('id'),
});

export const HttpConfig = z.strictObject({
  host: Host.default('127.0.0.1'),
  port: Port.default(9464),
});

export const MetricsConfig = z.strictObject({
  // 20 000: a scrape of a 100 000-tunnel fleet stays near 100 ms (docs/metrics.md, Performance);
  // broken tunnels are exported first, and the per-router families count every tunnel.
  maxTunnelSeries: z.number().int().min(0).default(20_000),
});

export const LoggingConfig = z.strictObject({
  level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

// SNMP (docs/snmp-collector.md). Credentials are secrets: the logger redacts community, authKey
// and privKey by name, and no observation or error message carries them.
const SnmpAuthProtocol = z.enum(['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512']);
const SnmpPrivProtocol = z.enum(['des', 'aes', 'aes256b', 'aes256r']);
/** net-snmp refuses shorter keys (RFC 3414 asks for at least 8 characters). */
const SnmpKey = z.string().min(8, 'SNMPv3 keys have at least 8 characters');
/** `version: 3` in YAML or an environment variable is a number; `2c` is a string. */
const SnmpVersion = z.preprocess(
  (v) => (typeof v === 'number' ? String(v) : v),
  z.enum(['2c', '3']),
);

export const SnmpUserConfig = z.strictObject({
  user: z.string().min(1),
  authProtocol: SnmpAuthProtocol.default('sha'),
  authKey: SnmpKey.optional(),
  privProtocol: SnmpPrivProtocol.default('aes'),
  privKey: SnmpKey.optional(),
});

export const SnmpTargetConfig = z
  .strictObject({
    /** The router name: the observations' `router`, the same as its syslog HOSTNAME. */
    name: z.string().min(1),
    address: Host,
    port: Port.default(161),
    platform: z.enum(['srx', 'mx']),
    version: SnmpVersion.default('2c'),
    community: z.string().min(1).optional(),
    ...SnmpUserConfig.partial({ user: true }).shape,
    /** SNMPv3 context name (empty: the default context). */
    context: z.string().optional(),
    /** Seconds between polls. */
    interval: z.number().min(1).default(60),
    /** Milliseconds to wait for one answer before a retry. */
    timeout: z.number().int().min(1).default(5_000),
    retries: z.number().int().min(0).max(10).default(1),
    maxRepetitions: z.number().int().min(1).max(1_000).default(25),
  })
  .superRefine((t, ctx) => {
    if (t.version === '2c' && t.community === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'version 2c needs a community',
        path: ['community'],
      });
    }
    if (t.version === '3') {
      if (t.user === undefined) {
        ctx.addIssue({ code: 'custom', message: 'version 3 needs a user', path: ['user'] });
      }
      if (t.privKey !== undefined && t.authKey === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: 'a privKey needs an authKey (authPriv)',
          path: ['authKey'],
        });
      }
    }
  });

export const SnmpConfig = z
  .strictObject({
    targets: z.array(SnmpTargetConfig).default([]),
    /** Polls in flight at most, over all targets. */
    concurrency: z.number().int().min(1).max(1_000).default(16),
    /** Each poll starts up to this fraction of its target's interval late, at random. */
    jitter: z.number().min(0).max(1).default(0.1),
    /** After failures a target is polled 2, 4, 8… intervals later, but at least this often. */
    maxBackoffSeconds: z.number().min(1).default(900),
    traps: z
      .strictObject({
        enabled: z.boolean().default(false),
        address: Host.default('127.0.0.1'),
        // 162 needs root.
        port: Port.default(10162),
        communities: z.preprocess(commaList, z.array(z.string().min(1))).default([]),
        users: z.array(SnmpUserConfig).default([]),
      })
      .default({ enabled: false, address: '127.0.0.1', port: 10162, communities: [], users: [] }),
  })
  .superRefine((snmp, ctx) => {
    const seen = new Set<string>();
    snmp.targets.forEach((t, i) => {
      if (seen.has(t.name)) {
        ctx.addIssue({
          code: 'custom',
          message: `target name ${t.name} is used twice`,
          path: ['targets', i, 'name'],
        });
      }
      seen.add(t.name);
    });
  });

export type SnmpConfig = z.infer<typeof SnmpConfig>;
export type SnmpTargetConfig = z.infer<typeof SnmpTargetConfig>;
export type SnmpUserConfig = z.infer<typeof SnmpUserConfig>;

export const Config = z.strictObject({
  log: LogConfig.default({ kind: 'sqlite', sqlite: SqliteLogConfig.parse({}) }),
  http: HttpConfig.default(HttpConfig.parse({})),
  syslog: SyslogConfig.default(SyslogConfig.parse({})),
  junos: JunosConfigFiles.default({ files: [] }),
  projection: ProjectionConfig.default(ProjectionConfig.parse({})),
  metrics: MetricsConfig.default(MetricsConfig.parse({})),
  logging: LoggingConfig.default(LoggingConfig.parse({})),
  snmp: SnmpConfig.default(SnmpConfig.parse({})),
});

export type Config = z.infer<typeof Config>;
export type KafkaLogConfig = z.infer<typeof KafkaLogConfig>;
