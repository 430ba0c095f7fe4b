// One syslog message a simulated router sends, before it is framed in the router's form.

export interface SimRecord {
  /** Virtual time, epoch ms. */
  readonly ms: number;
  readonly router: string;
  readonly program: 'kmd' | 'pkid';
  /** Syslog severity: 6 info, 3 err. */
  readonly severity: 3 | 6;
  /** Junos message tag, or undefined for kmd's untagged free text. */
  readonly tag?: string;
  /** Message text after `TAG: ` (or the whole text when untagged). */
  readonly text: string;
  /** Structured-data parameters, where the catalog documents them. */
  readonly sd?: readonly (readonly [string, string])[];
}
