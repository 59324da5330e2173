-- Records how an admitted attempt ended. Results from an older generation (admitted before the
-- last transition) are dropped, so a slow call cannot change the new state's counts. Every
-- transition, and the first failure counted under a closed breaker, is published, so instances
-- drop what they cached (their leases; their belief that a success changes nothing).
-- KEYS: 1 breaker (hash)
-- ARGV (after the contract's names): 1 outcome (success|failure|neutral)  2 was probe (0|1)
--       3 generation at admission  4 failure threshold  5 failure window ms  6 open ms  7 provider id
-- Returns the transition made: '' or a transition name.
local state = redis.call('HGET', KEYS[1], F_STATE) or CLOSED
local generation = tonumber(redis.call('HGET', KEYS[1], F_GEN) or '0')
if tonumber(A(3)) ~= generation then
  return ''
end
local outcome = A(1)

local function open()
  redis.call('HSET', KEYS[1], F_STATE, OPEN, F_OPEN_UNTIL, now + tonumber(A(6)), F_FAILURES, 0, F_FIRST_FAILURE, 0)
  redis.call('HINCRBY', KEYS[1], F_GEN, 1)
  redis.call('PEXPIRE', KEYS[1], 86400000)
  announce(T_OPENED, A(7))
  return T_OPENED
end

if A(2) == '1' then
  if state ~= HALF_OPEN then
    return ''
  end
  if outcome == 'success' then
    redis.call('HSET', KEYS[1], F_STATE, CLOSED, F_FAILURES, 0, F_FIRST_FAILURE, 0)
    redis.call('HINCRBY', KEYS[1], F_GEN, 1)
    announce(T_CLOSED, A(7))
    return T_CLOSED
  elseif outcome == 'failure' then
    return open()
  end
  redis.call('HSET', KEYS[1], F_PROBE_UNTIL, 0) -- inconclusive: the next caller probes
  return ''
end

if state ~= CLOSED then
  return ''
end
if outcome == 'success' then
  if tonumber(redis.call('HGET', KEYS[1], F_FAILURES) or '0') > 0 then
    redis.call('HSET', KEYS[1], F_FAILURES, 0, F_FIRST_FAILURE, 0)
  end
  return ''
elseif outcome == 'failure' then
  local failures = tonumber(redis.call('HGET', KEYS[1], F_FAILURES) or '0')
  local was_clean = failures == 0
  local first = tonumber(redis.call('HGET', KEYS[1], F_FIRST_FAILURE) or '0')
  if failures == 0 or now - first > tonumber(A(5)) then
    failures, first = 0, now
  end
  failures = failures + 1
  if failures >= tonumber(A(4)) then
    return open()
  end
  redis.call('HSET', KEYS[1], F_FAILURES, failures, F_FIRST_FAILURE, first)
  redis.call('PEXPIRE', KEYS[1], 86400000)
  if was_clean then
    announce(E_FAILING, A(7))
  end
end
return ''
