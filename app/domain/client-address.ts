/**
 * The key a client's sign-in failures are counted under. An IPv4 address
 * counts alone; an IPv6 address counts by its /64, because one household or
 * server usually gets a whole /64 and could otherwise change address for
 * every guess. An IPv4 address written as IPv6 (::ffff:1.2.3.4) is IPv4.
 * Returns null for anything that is not an address.
 */
export function clientKey(address: string | null | undefined): string | null {
  if (!address) return null;
  let text = address.trim().toLowerCase();
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (mapped) text = mapped[1]!;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    return text.split(".").every((part) => Number(part) <= 255) ? text : null;
  }
  const groups = expandIpv6(text);
  return groups ? `${groups.slice(0, 4).join(":")}::/64` : null;
}

function expandIpv6(text: string): string[] | null {
  if (!/^[0-9a-f:]+$/.test(text) || text.split("::").length > 2) return null;
  const [head, tail] = text.includes("::") ? text.split("::") : [text, null];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const missing = 8 - left.length - right.length;
  if (tail === null ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array<string>(tail === null ? 0 : missing).fill("0"), ...right];
  if (groups.some((g) => g.length === 0 || g.length > 4)) return null;
  return groups.map((g) => g.replace(/^0+(?=.)/, ""));
}
