#!/usr/bin/env python3
"""Prints the table of scripts/bench-gateway.sh from its RESULT lines: medians with min-max over the
runs, gateway beside HAProxy, ratios, and relay latency added over the direct path (per run, then
the median). Usage: bench_table.py results.txt"""
import statistics
import sys


def parse(path):
    rows = []
    for line in open(path):
        if line.startswith('RESULT '):
            rows.append(dict(f.split('=', 1) for f in line.split()[1:] if '=' in f))
    return rows


def stat(values):
    values = [v for v in values if v is not None]
    if not values:
        return None, '-'
    med = statistics.median(values)
    if len(values) == 1:
        return med, f'{med:,.1f}' if med < 100 else f'{med:,.0f}'
    fmt = (lambda v: f'{v:,.1f}') if med < 100 else (lambda v: f'{v:,.0f}')
    return med, f'{fmt(med)} ({fmt(min(values))}-{fmt(max(values))})'


def ratio(a, b):
    return f'{a / b:.2f}' if a is not None and b else '-'


def main():
    rows = parse(sys.argv[1])
    runs = sorted({r['run'] for r in rows}, key=int)
    out = [f'runs: {len(runs)}; median (min-max)', '',
           '| figure | gateway | HAProxy 2.6 | gateway / HAProxy | goal |', '| --- | --- | --- | --- | --- |']

    def pick(mode, label, key, **match):
        return [float(r[key]) for r in rows if r.get('mode') == mode and r.get('label') == label
                and all(r.get(k) == v for k, v in match.items()) and r.get(key) not in (None, 'NaN')]

    idle_n = next((r['n'] for r in rows if r.get('mode') == 'idle'), '?')
    g, gs = stat([v / 1000 for v in pick('idle', 'gateway', 'bytes_per_conn')])
    h, hs = stat([v / 1000 for v in pick('idle', 'haproxy', 'bytes_per_conn')])
    out.append(f'| RSS per idle TLS 1.3 connection at N={idle_n}, KB | {gs} | {hs} (4 processes) | {ratio(g, h)} | <= 18 KB |')
    for mode, name, goal in (('full', 'full TLS 1.3 handshakes per core-second', '>= 2,100'),
                             ('full-www', 'full TLS 1.3 + 18 B + close, per core-second', ''),
                             ('resumed-www', 'resumed TLS 1.3 + 18 B + close, per core-second', '')):
        g, gs = stat(pick('handshakes', 'gateway', 'hs_per_core_s', hs_mode=mode))
        h, hs = stat(pick('handshakes', 'haproxy', 'hs_per_core_s', hs_mode=mode))
        if g is None and h is None:
            continue
        gr = [int(float(r['resumed'])) * 100 // max(1, int(float(r['conns']))) for r in rows if r.get('mode') == 'handshakes' and r.get('hs_mode') == mode and r.get('label') == 'gateway']
        hr = [int(float(r['resumed'])) * 100 // max(1, int(float(r['conns']))) for r in rows if r.get('mode') == 'handshakes' and r.get('hs_mode') == mode and r.get('label') == 'haproxy']
        note = f' (resumed {min(gr, default=0)}-{max(gr, default=0)}% / {min(hr, default=0)}-{max(hr, default=0)}%)' if mode.startswith('resumed') else ''
        out.append(f'| {name}{note} | {gs} | {hs} | {ratio(g, h)} | {goal} |')
        g, gs = stat(pick('handshakes', 'gateway', 'server_util_pct', hs_mode=mode))
        h, hs = stat(pick('handshakes', 'haproxy', 'server_util_pct', hs_mode=mode))
        out.append(f'| &nbsp;&nbsp;server core busy during {mode}, % | {gs} | {hs} | | |')

    for conns in sorted({r['conns'] for r in rows if r.get('mode') == 'relay' and r.get('label') != 'warm'}, key=int):
        def relay(label, key):
            return {r['run']: float(r[key]) for r in rows
                    if r.get('mode') == 'relay' and r.get('label') == label and r.get('conns') == conns and r.get(key) != 'NaN'}

        for key, name in (('p50_us', 'p50'), ('p99_us', 'p99'), ('p999_us', 'p99.9')):
            direct = relay('direct', key)
            d, ds = stat(list(direct.values()))
            g, gs = stat(list(relay('gateway', key).values()))
            h, hs = stat(list(relay('haproxy', key).values()))
            out.append(f'| relay {name} at {conns} conn(s), us (direct: {ds}) | {gs} | {hs} | {ratio(g, h)} | |')
            ga, gas = stat([v - direct[k] for k, v in relay('gateway', key).items() if k in direct])
            ha, has = stat([v - direct[k] for k, v in relay('haproxy', key).items() if k in direct])
            goal = 'gateway <= HAProxy' if key == 'p99_us' else ''
            out.append(f'| &nbsp;&nbsp;added {name} over direct, us | {gas} | {has} | {ratio(ga, ha)} | {goal} |')
        for key, name in (('rt_per_s', 'round trips/s'), ('server_cpu_us_per_rt', 'proxy CPU per round trip, us'),
                          ('server_cpu_pct', 'proxy core busy, %')):
            d, ds = stat(list(relay('direct', key).values()))
            g, gs = stat(list(relay('gateway', key).values()))
            h, hs = stat(list(relay('haproxy', key).values()))
            out.append(f'| relay {name} at {conns} conn(s) (direct/shard: {ds}) | {gs} | {hs} | {ratio(g, h)} | |')
    others = [float(r['others_pct']) for r in rows if 'others_pct' in r and r.get('label') != 'warm']
    if others:
        out += ['', f'CPU used by other processes during the CPU figures: {min(others):.0f}-{max(others):.0f}% of the machine '
                f'(median {statistics.median(others):.0f}%)']
    print('\n'.join(out))


if __name__ == '__main__':
    main()
