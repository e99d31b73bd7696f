-- klipy-sdk shared rate-limit budget: the GCRA steps of src/budget/gcra.rs on Redis's clock.
-- KEYS: the buckets (the key's, then the group's; one hash tag, so one Cluster slot).
-- ARGV[1] = "reserve" | "observe" | "refund"; then per step:
--   reserve: cost, max_wait_us, then limit and window_ms for each key
--   refund:  cost,              then limit and window_ms for each key
--   observe: remaining, reset_in_us, limit, window_ms (one key)
-- Returns { granted (0/1), wait_us } for reserve, { 1, 0 } otherwise.
-- Times are integer µs; Lua numbers are doubles, exact below 2^53 (epoch µs is ~2^50.6), and
-- they are stored with %.0f so no digit is lost.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local op = ARGV[1]

-- window / limit plus a 2 % margin (gcra.rs: MARGIN_PER_MILLE).
local function interval(limit, window_ms)
  if limit < 1 then limit = 1 end
  return math.floor(window_ms * 1020 / limit)
end

local function load(key)
  return tonumber(redis.call('GET', key) or '0') or 0
end

local function store(key, tat)
  if tat > now then
    redis.call('SET', key, string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000) + 1000)
  end
end

if op == 'reserve' then
  local cost = tonumber(ARGV[2])
  local max_wait = tonumber(ARGV[3])
  local start = now
  local tats, intervals = {}, {}
  for i, key in ipairs(KEYS) do
    tats[i] = load(key)
    intervals[i] = interval(tonumber(ARGV[2 + 2 * i]), tonumber(ARGV[3 + 2 * i]))
    if tats[i] > start then start = tats[i] end
  end
  local wait = start - now
  if wait > max_wait then return { 0, wait } end
  for i, key in ipairs(KEYS) do
    store(key, start + cost * intervals[i])
  end
  return { 1, wait }
elseif op == 'refund' then
  local cost = tonumber(ARGV[2])
  for i, key in ipairs(KEYS) do
    local tat = load(key)
    if tat > 0 then
      local back = tat - cost * interval(tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i]))
      if back < now then back = now end
      store(key, back)
      if back <= now then redis.call('DEL', key) end
    end
  end
  return { 1, 0 }
elseif op == 'observe' then
  local remaining, reset_in = tonumber(ARGV[2]), tonumber(ARGV[3])
  local tat = load(KEYS[1])
  local floor = now + reset_in - remaining * interval(tonumber(ARGV[4]), tonumber(ARGV[5]))
  if floor > tat then store(KEYS[1], floor) end
  return { 1, 0 }
end
return redis.error_reply('klipy budget: unknown step ' .. tostring(op))
