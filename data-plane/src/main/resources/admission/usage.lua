-- Who used a provider's limit, across instances (provider health): each instance shares its usage
-- in the rolling second about once a second as one field of a hash; an entry not refreshed for
-- FRESH_MS (its instance gone or cut off) is dropped here, so the hash holds at most one field per
-- live instance. Shares (when A(2) is not empty) and answers the other instances' fresh entries in
-- one round trip.
-- KEYS: 1 usage (hash: field = instance, value = '<ms shared at>|<summary>')
-- ARGV (own): 1 this instance  2 its summary, '' to only read
local FRESH_MS = 2000
if A(2) ~= '' then
  redis.call('HSET', KEYS[1], A(1), string.format('%d', now) .. '|' .. A(2))
  redis.call('PEXPIRE', KEYS[1], FRESH_MS * 2)
end
local others = {}
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  local at, summary = string.match(entries[i + 1], '^(%d+)|(.*)$')
  if at == nil or tonumber(at) < now - FRESH_MS then
    redis.call('HDEL', KEYS[1], entries[i])
  elseif entries[i] ~= A(1) then
    table.insert(others, summary)
  end
end
return others
