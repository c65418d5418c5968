-- wrk script for bench/run.sh: every request picks a random resident from a pool file.
--
-- Environment:
--   BENCH_SCENARIO  history | register | overview
--   BENCH_POOL      file with one resident uuid per line
--   BENCH_TOKEN     API token (history, register)
--   BENCH_SESSION   session key of a logged-in user (overview)
--   BENCH_OUT       where done() writes its JSON result
--   BENCH_HISTORY_PATH, BENCH_REGISTER_PATH  other paths (experiments), uuid appended to the first
--
-- done() prints and writes requests, req/s and latency percentiles (p50/p90/p95/p99/max).
-- Responses with another status than expected (200, or 201 for register) count as errors.

local scenario = os.getenv("BENCH_SCENARIO") or "history"
local pool_file = os.getenv("BENCH_POOL") or "bench/results/residents.txt"
local token = os.getenv("BENCH_TOKEN") or ""
local session = os.getenv("BENCH_SESSION") or ""
local out = os.getenv("BENCH_OUT")
-- Paths can be pointed at the experimental variants (bench/experiment_urls.py).
local history_path = os.getenv("BENCH_HISTORY_PATH") or "/api/v1/contact-moments/?resident="
local register_path = os.getenv("BENCH_REGISTER_PATH") or "/api/v1/contact-moments/"
local expected = (scenario == "register") and 201 or 200

local threads = {}
local thread_count = 0

function setup(thread)
   thread_count = thread_count + 1
   thread:set("thread_id", thread_count)
   table.insert(threads, thread)
end

local uuids = {}
local channels = { "balie", "telefoon", "telefoon", "digitaal", "brief", "huisbezoek" }
local outcomes = {
   "beantwoord", "doorverwezen", "terugbelverzoek", "afspraak-gemaakt",
   "aanvraag-ingenomen", "in-behandeling",
}
local questions = {
   "Ik begrijp de brief over de huurtoeslag niet.",
   "Mijn uitkering is niet op tijd betaald, hoe kan dat?",
   "Ik wil een betalingsregeling voor mijn boete.",
   "Kan ik hulp krijgen bij het invullen van mijn aangifte?",
}
local api_headers = {}
local ui_headers = {}

function init(args)
   for line in io.lines(pool_file) do
      if #line > 0 then
         uuids[#uuids + 1] = line
      end
   end
   if #uuids == 0 then
      error("no resident uuids in " .. pool_file)
   end
   math.randomseed(os.time() * 1000 + (thread_id or 1) * 7919)
   api_headers["Authorization"] = "Token " .. token
   api_headers["Accept"] = "application/json"
   ui_headers["Cookie"] = "sessionid=" .. session .. "; django_language=nl"
   bad = 0
   first_bad = ""
end

function request()
   local uuid = uuids[math.random(#uuids)]
   if scenario == "history" then
      return wrk.format("GET", history_path .. uuid, api_headers)
   elseif scenario == "register" then
      local body = string.format(
         '{"resident":"%s","channel":"%s","question":"%s","outcome":"%s"}',
         uuid,
         channels[math.random(#channels)],
         questions[math.random(#questions)],
         outcomes[math.random(#outcomes)]
      )
      local headers = {
         ["Authorization"] = api_headers["Authorization"],
         ["Accept"] = "application/json",
         ["Content-Type"] = "application/json",
      }
      return wrk.format("POST", register_path, headers, body)
   else
      return wrk.format("GET", "/inwoners/" .. uuid .. "/", ui_headers)
   end
end

function response(status, headers, body)
   if status ~= expected then
      bad = bad + 1
      if first_bad == "" then
         first_bad = status .. " " .. string.sub(body or "", 1, 200)
      end
   end
end

local function json_string(s)
   s = string.gsub(s or "", '[%c"\\]', function(c)
      if c == '"' then return '\\"' end
      if c == "\\" then return "\\\\" end
      return " "
   end)
   return '"' .. s .. '"'
end

function done(summary, latency, requests)
   local unexpected, sample = 0, ""
   for _, thread in ipairs(threads) do
      unexpected = unexpected + (thread:get("bad") or 0)
      local s = thread:get("first_bad")
      if s and s ~= "" then sample = s end
   end
   local e = summary.errors
   local socket_errors = e.connect + e.read + e.write + e.timeout
   local seconds = summary.duration / 1e6
   local function ms(p) return latency:percentile(p) / 1000 end
   local result = string.format(
      '{"scenario":%s,"requests":%d,"duration_s":%.3f,"rps":%.2f,'
      .. '"p50_ms":%.3f,"p90_ms":%.3f,"p95_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"mean_ms":%.3f,'
      .. '"errors":%d,"unexpected_status":%d,"socket_errors":%d,"sample_error":%s}',
      json_string(scenario), summary.requests, seconds, summary.requests / seconds,
      ms(50), ms(90), ms(95), ms(99), latency.max / 1000, latency.mean / 1000,
      unexpected + socket_errors, unexpected, socket_errors, json_string(sample)
   )
   io.write(result .. "\n")
   if out then
      local f = assert(io.open(out, "w"))
      f:write(result .. "\n")
      f:close()
   end
end
