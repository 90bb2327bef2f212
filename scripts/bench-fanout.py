#!/usr/bin/env python3
"""Fan-out benchmark of the example app alone (issue #18): starts the app's jar with the given JVM options, creates
the event that ../shared/bench/compare.sh creates, runs the shared sse-load client in latency mode against it,
and prints the client's JSON line plus the server's CPU per thread over the measured phase (threadCpuS, from
/proc/<pid>/task). With --profile it also loads async-profiler into the server for the measured phase only
(cpu mode, 1 ms, per thread) and writes collapsed stacks; scripts/profile-categories.py sorts them.
Run it under flock -o /tmp/ticketing-bench.lock, from the project's root, after mvn -q -DskipTests package."""
import argparse, base64, collections, hashlib, hmac, json, os, re, resource, shlex, socket, subprocess, sys, time, urllib.request

p = argparse.ArgumentParser()
p.add_argument('--jar', default='ticketing-examples/target/ticketing-example.jar')
p.add_argument('--label', default='product')
p.add_argument('--sse-load', default='../shared/bench/sse-load.jar')
p.add_argument('--profiler-lib', default=None, help='libasyncProfiler.so (unpacked from tools.profiler:async-profiler)')
p.add_argument('--java-opts', default='-Xmx1g -XX:+UseG1GC')
p.add_argument('--java', default='java')
p.add_argument('--profile', default=None, help='collapsed output file: attach async-profiler for the measured phase')
p.add_argument('--n', type=int, default=5000)
p.add_argument('--m', type=int, default=50)
p.add_argument('--interval-ms', type=int, default=100)
p.add_argument('--out', default=None, help='also append the result line to this file')
a = p.parse_args()
if a.profile and not a.profiler_lib:
    sys.exit('--profile needs --profiler-lib')
secret = 'bench-secret-0123456789-0123456789-abcdef'
def b64(d): return base64.urlsafe_b64encode(d).rstrip(b'=').decode()
def token(sub, role):
    h = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    pl = b64(json.dumps({"sub": sub, "role": role, "exp": int(time.time()) + 86400}).encode())
    return f"{h}.{pl}." + b64(hmac.new(secret.encode(), f"{h}.{pl}".encode(), hashlib.sha256).digest())
def free_port():
    s = socket.socket(); s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]; s.close(); return port
def threads_cpu(pid):
    tick = os.sysconf('SC_CLK_TCK'); res = collections.Counter()
    for t in os.listdir(f'/proc/{pid}/task'):
        try:
            st = open(f'/proc/{pid}/task/{t}/stat').read()
        except OSError:
            continue
        name = st[st.index('(') + 1:st.rindex(')')]
        f = st[st.rindex(')') + 2:].split()
        name = re.sub(r'[-#]?\d+$', '', name)
        res[name + ' user'] += int(f[11]) / tick; res[name + ' sys'] += int(f[12]) / tick
    return res
resource.setrlimit(resource.RLIMIT_NOFILE, (resource.getrlimit(resource.RLIMIT_NOFILE)[1],) * 2)
port = free_port()
env = dict(os.environ, TICKETING_JWT_SECRET=secret)
log = open(f'/tmp/bench-fanout-{a.label}-{port}.log', 'w')
srv = subprocess.Popen([a.java] + shlex.split(a.java_opts) + ['-jar', a.jar, '--host', '127.0.0.1', '--port', str(port),
                        '--max-streams', '20000'], env=env, stdout=log, stderr=subprocess.STDOUT)
try:
    for _ in range(240):
        try:
            urllib.request.urlopen(f'http://127.0.0.1:{port}/api/events', timeout=2); break
        except Exception:
            time.sleep(0.5)
    req = urllib.request.Request(f'http://127.0.0.1:{port}/api/events', method='POST', data=json.dumps(
        {"name": "bench", "seatingConfig": {"rows": 1000, "cols": 1000, "sections": [{"name": "A", "price": 1, "subsections": 1}]}}).encode(),
        headers={'Authorization': 'Bearer ' + token('1', 'seller'), 'Content-Type': 'application/json'})
    eid = json.load(urllib.request.urlopen(req))['id']
    bind = ','.join(f'127.0.0.{i}' for i in range(2, 2 + max(1, (a.n + 99) // 100)))
    cmd = ['java', '-Xmx1g', '-jar', a.sse_load, 'latency', '--bind', bind,
           '--stream-url', f'http://127.0.0.1:{port}/api/events/{eid}/stream',
           '--trigger-url', f'http://127.0.0.1:{port}/api/events/{eid}/reservations',
           '--trigger-body', '{"section":"A","subsection":1,"quantity":1}',
           '--header', 'Authorization: Bearer ' + token('2', 'buyer'), '--header', 'Idempotency-Key: bench-{i}',
           '--event', 'status_update', '--n', str(a.n), '--server-pid', str(srv.pid), '--server-jvm', '--label', a.label,
           '--m', str(a.m), '--interval-ms', str(a.interval_ms)]
    cl = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    before = after = None; t0 = t1 = None; last = None
    for line in cl.stdout:
        line = line.rstrip('\n'); last = line
        if line.startswith('connected:'):
            time.sleep(20 * a.interval_ms / 1000 + 0.5)  # the client's 20 warm-up triggers
            if a.profile:
                subprocess.run(['jcmd', str(srv.pid), 'JVMTI.agent_load', a.profiler_lib,
                                '"start,event=cpu,interval=1ms,threads"'], stdout=sys.stderr)
            before = threads_cpu(srv.pid); t0 = time.time()
        elif line.startswith('triggers:'):
            after = threads_cpu(srv.pid); t1 = time.time()
            if a.profile:
                subprocess.run(['jcmd', str(srv.pid), 'JVMTI.agent_load', a.profiler_lib,
                                f'"stop,collapsed,file={a.profile}"'], stdout=sys.stderr)
        elif not line.startswith('{'):
            print('  ' + line, file=sys.stderr)
    cl.wait()
    r = json.loads(last)
    r['javaOpts'] = a.java_opts; r['jar'] = a.jar; r['time'] = time.strftime('%H:%M:%S', time.gmtime())
    r['load'] = open('/proc/loadavg').read().split()[0]
    if before and after:
        d = {k: round(after[k] - before.get(k, 0), 2) for k in after if after[k] - before.get(k, 0) > 0.005}
        r['threadCpuS'] = dict(sorted(d.items(), key=lambda kv: -kv[1])); r['phaseS'] = round(t1 - t0, 2)
    print(json.dumps(r))
    if a.out:
        open(a.out, 'a').write(json.dumps(r) + '\n')
finally:
    srv.terminate()
    try: srv.wait(10)
    except Exception: srv.kill()
