// Tunnel ids (contracts.md, "Lifecycle event"): `ROUTER/VPN`, plus `/TRAFFIC-SELECTOR` when a
// selector splits the VPN. Before the VPN name is known (a KMD_PM_SA_ESTABLISHED line names only
// gateways) the id is built from the router and the local and remote gateway addresses.

/** Id of a tunnel known by name. */
export function namedTunnelId(router: string, vpn: string, trafficSelector?: string): string {
  return trafficSelector === undefined ? `${router}/${vpn}` : `${router}/${vpn}/${trafficSelector}`;
}

/** Address characters kept in ids; IPv6 colons become dashes, anything else an underscore. */
function urlSafe(text: string): string {
  return /^[A-Za-z0-9._-]+$/.test(text)
    ? text
    : text.replace(/:/g, '-').replace(/[^A-Za-z0-9._-]/g, '_');
}

/**
 * Id of a tunnel known only by its gateways: `ROUTER/LOCAL~REMOTE[/SELECTOR]`. `~` cannot occur
 * in a Junos VPN name, so a provisional id never collides with a named one.
 */
export function provisionalTunnelId(
  router: string,
  local: string | undefined,
  remote: string | undefined,
  trafficSelector?: string,
): string {
  const base = `${router}/${urlSafe(local ?? 'unknown')}~${urlSafe(remote ?? 'unknown')}`;
  return trafficSelector === undefined ? base : `${base}/${trafficSelector}`;
}

/** Empty strings mean "not given" in every source (`Traffic-selector:  FC Name:`). */
export const given = (value: string | undefined): string | undefined =>
  value === undefined || value === '' ? undefined : value;
