import { describe, expect, it } from "vitest";
import { clientKey } from "~/domain/client-address";

describe("the key a client's sign-in failures are counted under", () => {
  it("an IPv4 address counts alone, also when written as IPv6", () => {
    expect(clientKey("203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  it("IPv6 addresses in one /64 count as one client, however they are written", () => {
    expect(clientKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:0db8:0001:0002:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:db8:1:3::1")).not.toBe(clientKey("2001:db8:1:2::1"));
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
    expect(clientKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });

  it("anything that is not an address gives no key", () => {
    for (const bad of [undefined, null, "", "localhost", "300.1.1.1", "1:2:3", "1::2::3", "12345::1"]) expect(clientKey(bad)).toBeNull();
  });
});
