-- docs_commands.lua: every command transcript in the documents is a golden test (issue 15 item 5).
-- A transcript is a fenced block whose first line starts with "$ ": the command, then exactly what
-- it prints on stdout. Run: lua5.4 docs_commands.lua WORKDIR FILE.md... in a WORKDIR where
-- `build/vmmsim` and `examples/` are what the documents name (the ctest makes it of links).
-- Prints each command checked; fails (exit 1) at the first whose output differs, with a diff-like
-- listing, or when a document that should hold transcripts holds none.
local workdir = assert(arg[1], "usage: docs_commands.lua WORKDIR FILE.md...")
local failures, checked = 0, 0

local function transcripts(path)
  local f = assert(io.open(path, "r"))
  local text = f:read("a")
  f:close()
  local found = {}
  local line_no = 0
  local in_block, block, block_line = false, nil, 0
  for line in (text .. "\n"):gmatch("(.-)\n") do
    line_no = line_no + 1
    if line:match("^```") then
      if in_block then
        if block[1] and block[1]:match("^%$ ") then
          found[#found + 1] = {line = block_line, command = block[1]:sub(3), expected = table.concat(block, "\n", 2)}
        end
        in_block = false
      else
        in_block, block, block_line = true, {}, line_no
      end
    elseif in_block then
      block[#block + 1] = line
    end
  end
  return found
end

local function lines(text)
  local t = {}
  for l in (text .. "\n"):gmatch("(.-)\n") do t[#t + 1] = l end
  return t
end

-- match: nil if the program's output is what the document shows; else the document's line number
-- in the block, that line and the program's. A document line ending in "..." stands for a program
-- line that starts with the rest, and for the program lines after it up to the document's next line.
local function match(expected, out)
  local want, got = lines(expected), lines(out)
  local j = 1
  for i = 1, #want do
    local w = want[i]
    local prefix = w:match("^(.-)%.%.%.$")
    if prefix then
      if not got[j] or got[j]:sub(1, #prefix) ~= prefix then return i, w, got[j] end
      j = j + 1
      local next_line = want[i + 1]
      while got[j] and got[j] ~= next_line do j = j + 1 end
    else
      if got[j] ~= w then return i, w, got[j] end
      j = j + 1
    end
  end
  if got[j] then return #want + 1, nil, got[j] end
  return nil
end

local function shell_quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

for i = 2, #arg do
  local path = arg[i]
  local list = transcripts(path)
  if #list == 0 then
    io.stderr:write(path .. ": no command transcript (a fenced block starting with \"$ \")\n")
    failures = failures + 1
  end
  for _, t in ipairs(list) do
    local p = assert(io.popen("cd " .. shell_quote(workdir) .. " && " .. t.command .. " 2>/dev/null", "r"))
    local out = p:read("a")
    p:close()
    out = out:gsub("\n$", "")
    checked = checked + 1
    local bad, want_line, got_line = match(t.expected, out)
    if bad then
      failures = failures + 1
      io.stderr:write(string.format("%s:%d: `%s` prints something else than the document says\n", path, t.line,
                                    t.command))
      io.stderr:write(string.format("  line %d\n    document: %s\n    program:  %s\n", bad, want_line or "(nothing)",
                                    got_line or "(nothing)"))
    else
      print(string.format("%s:%d: %s: as documented", path, t.line, t.command))
    end
  end
end
print(string.format("%d command transcript(s) checked, %d failure(s)", checked, failures))
os.exit(failures == 0 and 0 or 1)
