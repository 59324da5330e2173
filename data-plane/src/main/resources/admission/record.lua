-- Records how an admitted attempt ended. Results from an older generation (admitted before the
-- last transition) are dropped, so a slow call cannot change the new state's counts.
-- KEYS: 1 breaker (hash)
-- ARGV: 1 outcome (success|failure|neutral)  2 was probe (0|1)  3 generation at admission
--       4 failure threshold  5 failure window ms  6 open ms
-- Returns the transition made: '' | 'opened' | 'closed'.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HGET', KEYS[1], 'state') or 'closed'
local generation = tonumber(redis.call('HGET', KEYS[1], 'gen') or '0')
if tonumber(ARGV[3]) ~= generation then
  return ''
end
local outcome = ARGV[1]

local function open()
  redis.call('HSET', KEYS[1], 'state', 'open', 'open_until', now + tonumber(ARGV[6]), 'failures', 0, 'first_failure', 0)
  redis.call('HINCRBY', KEYS[1], 'gen', 1)
  redis.call('PEXPIRE', KEYS[1], 86400000)
  return 'opened'
end

if ARGV[2] == '1' then
  if state ~= 'half_open' then
    return ''
  end
  if outcome == 'success' then
    redis.call('HSET', KEYS[1], 'state', 'closed', 'failures', 0, 'first_failure', 0)
    redis.call('HINCRBY', KEYS[1], 'gen', 1)
    return 'closed'
  elseif outcome == 'failure' then
    return open()
  end
  redis.call('HSET', KEYS[1], 'probe_until', 0) -- inconclusive: the next caller probes
  return ''
end

if state ~= 'closed' then
  return ''
end
if outcome == 'success' then
  if tonumber(redis.call('HGET', KEYS[1], 'failures') or '0') > 0 then
    redis.call('HSET', KEYS[1], 'failures', 0, 'first_failure', 0)
  end
  return ''
elseif outcome == 'failure' then
  local failures = tonumber(redis.call('HGET', KEYS[1], 'failures') or '0')
  local first = tonumber(redis.call('HGET', KEYS[1], 'first_failure') or '0')
  if failures == 0 or now - first > tonumber(ARGV[5]) then
    failures, first = 0, now
  end
  failures = failures + 1
  if failures >= tonumber(ARGV[4]) then
    return open()
  end
  redis.call('HSET', KEYS[1], 'failures', failures, 'first_failure', first)
  redis.call('PEXPIRE', KEYS[1], 86400000)
end
return ''
