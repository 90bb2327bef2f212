# Sourced by the SSE benchmark scripts: starts the example app ($jar, the JVM options in $java_opts, the app's
# own options in $SERVER_ARGS, e.g. "--jdbc-url jdbc:postgresql://127.0.0.1:5432/test?user=postgres") on
# 127.0.0.1:$port with a known JWT secret, waits until it answers, stops it on exit, and mints tokens.
# Sets: pid (the server's), api (its base URL); defines token SUB ROLE and event ROWS COLS (a new event with
# one subsection A:1, as seller 1; prints its id). $log is the server's log file.
secret=bench-secret-0123456789-0123456789-abcdef
token() { # sub role -> a signed HS256 token the example app accepts, valid for a day
  python3 - "$secret" "$1" "$2" <<'PY'
import base64, hashlib, hmac, json, sys, time
b = lambda d: base64.urlsafe_b64encode(d).rstrip(b"=").decode()
h = b(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
p = b(json.dumps({"sub": sys.argv[2], "role": sys.argv[3], "exp": int(time.time()) + 86400}).encode())
print(f"{h}.{p}." + b(hmac.new(sys.argv[1].encode(), f"{h}.{p}".encode(), hashlib.sha256).digest()))
PY
}
api=http://127.0.0.1:$port/api
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# shellcheck disable=SC2086
TICKETING_JWT_SECRET=$secret java $java_opts -jar "$jar" --host 127.0.0.1 --port "$port" --max-streams 20000 \
  ${SERVER_ARGS:-} >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
for _ in $(seq 1 120); do curl -fs "$api/events" >/dev/null 2>&1 && break; sleep 0.5; done
event() { # rows cols -> id of a new event with one subsection A:1
  curl -fs -X POST "$api/events" -H "Authorization: Bearer $(token 1 seller)" -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench\",\"seatingConfig\":{\"rows\":$1,\"cols\":$2,\"sections\":[{\"name\":\"A\",\"price\":1,\"subsections\":1}]}}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}
