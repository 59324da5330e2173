-- Prepended to every admission script. The names of the shared Valkey contract come as the first
-- ARGV entries (io.integrationhub.registry.valkey.ScriptNames, in its order) and are never spelled
-- here; a script's own arguments follow them, read with A(i). All times come from the server
-- (TIME), so instances never disagree.
local CLOSED, OPEN, HALF_OPEN = ARGV[1], ARGV[2], ARGV[3]
local F_STATE, F_GEN, F_OPEN_UNTIL, F_PROBE_UNTIL, F_FAILURES, F_FIRST_FAILURE = ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local T_OPENED, T_HALF_OPENED, T_CLOSED = ARGV[10], ARGV[11], ARGV[12]
local CHANNEL, E_PAUSED, E_FAILING = ARGV[13], ARGV[14], ARGV[15]
local function A(i) return ARGV[15 + i] end
local function announce(event, provider) redis.call('PUBLISH', CHANNEL, event .. ' ' .. provider) end

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

-- The limiter's log: one member per lease, '<lease id>/<permits>', scored by the last moment any of
-- its permits may be used (its expiry). A permit used at u can share a rolling second only with
-- uses after u - 1000, so counting every member scored after now - 1000 and granting only what is
-- left keeps every rolling second at the limit, whichever permits were used and when.
local function permits_in_window(log)
  redis.call('ZREMRANGEBYSCORE', log, '-inf', now - 1000)
  local total = 0
  for _, member in ipairs(redis.call('ZRANGE', log, 0, -1)) do
    total = total + tonumber(string.match(member, '/(%d+)$'))
  end
  return total
end

-- Retry budget: at most 10 fields, one per second of the window, field = second mod 10, value
-- 'second:firsts:retries'; a slot whose second left the window counts nothing and is overwritten by
-- the next write in its second, so the hash never grows.
local function bucket(value)
  if not value then return nil, 0, 0 end
  local at, firsts, retries = string.match(value, '^(%d+):(%d+):(%d+)$')
  return tonumber(at), tonumber(firsts), tonumber(retries)
end
local function count_attempts(budget, firsts_added, retries_added)
  local second = math.floor(now / 1000)
  local slot = tostring(second % 10)
  local at, firsts, retries = bucket(redis.call('HGET', budget, slot))
  if at ~= second then firsts, retries = 0, 0 end
  redis.call('HSET', budget, slot, second .. ':' .. (firsts + firsts_added) .. ':' .. (retries + retries_added))
  redis.call('PEXPIRE', budget, 11000)
end

-- A lease's member in one limiter log comes back: its unused permits leave the window at once; its
-- used ones stay, re-scored to 'early' ms before its expiry (the instance's bound on its last use).
-- False when it aged out already.
local function rescore(log, member, used, early)
  local expiry = redis.call('ZSCORE', log, member)
  if not expiry then return false end
  redis.call('ZREM', log, member)
  if used > 0 then
    local id = string.match(member, '^(.*)/%d+$')
    redis.call('ZADD', log, tonumber(expiry) - early, id .. '/' .. used)
  end
  return true
end

-- A lease comes back from the provider's log, and from its module's log when it was a capped
-- module's (module_log not ''); its used permits count as first attempts.
local function settle(log, budget, member, used, early, module_log)
  if member == '' then return end
  if module_log and module_log ~= '' then rescore(module_log, member, used, early) end
  if rescore(log, member, used, early) and used > 0 then
    count_attempts(budget, used, 0)
  end
end
