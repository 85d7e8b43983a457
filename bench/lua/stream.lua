-- post.lua's request, asking for a stream (Accept: text/event-stream): /api/chat through the service,
-- or a provider's route directly.
dofile((debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./") .. "post.lua")
wrk.headers["Accept"] = "text/event-stream"
