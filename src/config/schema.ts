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
  udp: Listener(5514).default({ enabled: true, host: '127.0.0.1', port: 5514 }),
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

export const Config = z.strictObject({
  log: LogConfig.default({ kind: 'sqlite', sqlite: SqliteLogConfig.parse({}) }),
  http: HttpConfig.default(HttpConfig.parse({})),
  syslog: SyslogConfig.default(SyslogConfig.parse({})),
  junos: JunosConfigFiles.default({ files: [] }),
  projection: ProjectionConfig.default(ProjectionConfig.parse({})),
  metrics: MetricsConfig.default(MetricsConfig.parse({})),
  logging: LoggingConfig.default(LoggingConfig.parse({})),
});

export type Config = z.infer<typeof Config>;
export type KafkaLogConfig = z.infer<typeof KafkaLogConfig>;
