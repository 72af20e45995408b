"""Full page time through nginx + php-fpm: the panel page vs the same site's
page without the shortcode, as a logged-in customer, keep-alive, sequential.
Usage: http_timing.py HOST PORT LOGIN PASSWORD N"""
import http.client
import json
import statistics
import sys
import time
import urllib.parse

host, port, login, password, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])


def cookies_from(resp, jar):
    for k, v in resp.getheaders():
        if k.lower() == "set-cookie":
            name, _, rest = v.partition("=")
            jar[name] = rest.split(";", 1)[0]


conn = http.client.HTTPConnection(host, port, timeout=30)
jar = {"wordpress_test_cookie": "WP%20Cookie%20check"}
body = urllib.parse.urlencode({"log": login, "pwd": password, "wp-submit": "Log In", "testcookie": "1"})
conn.request("POST", "/wp-login.php", body, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
resp = conn.getresponse()
resp.read()
cookies_from(resp, jar)
assert resp.status == 302, f"login failed: {resp.status}"
cookie = "; ".join(f"{k}={v}" for k, v in jar.items())


requests_made = 1  # the login


def get(path):
    """One timed GET; a keep-alive connection that the server closed (a
    reload elsewhere on the machine) is reopened and the request repeated."""
    global conn, requests_made
    for attempt in (1, 2):
        requests_made += 1
        s = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Cookie": cookie})
            r = conn.getresponse()
            data = r.read()
            return (time.perf_counter() - s) * 1000, r.status, data
        except (http.client.HTTPException, ConnectionError):
            if attempt == 2:
                raise
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)


for path in ("/bench-panel/", "/bench-plain/"):
    for _ in range(20):
        get(path)
times = {"/bench-panel/": [], "/bench-plain/": []}
for _ in range(n):
    for path in times:
        ms, status, data = get(path)
        assert status == 200, (path, status)
        times[path].append(ms)
_, _, panel = get("/bench-panel/")
assert panel.count(b'data-ref="BX-') == 10, "the panel page shows the bench customer's first page"
out = {}
for path, t in times.items():
    t.sort()
    out[path] = {"p50_ms": round(statistics.median(t), 2), "p99_ms": round(t[int(len(t) * 0.99) - 1], 2)}
out["requests"] = requests_made
out["panel_overhead_p50_pct"] = round(100 * (out["/bench-panel/"]["p50_ms"] / out["/bench-plain/"]["p50_ms"] - 1), 1)
print(json.dumps(out, indent=2))
