-- Pauses a provider for everyone until now + ARGV[1] ms (a provider's own Retry-After); a longer
-- pause already in place is kept. Instances holding leases drop them on the event.
-- KEYS: 1 pause (string)
-- ARGV (after the contract's names): 1 pause ms  2 provider id
local untilMs = now + tonumber(A(1))
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > current then
  redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(A(1)) + 1000)
  announce(E_PAUSED, A(2))
end
return untilMs
