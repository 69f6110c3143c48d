-- docs_test_names.lua: every test the README's feature table cites exists (a renamed or deleted
-- test leaves no stale claim behind). Run: lua5.4 docs_test_names.lua README.md TESTS.txt, where
-- TESTS.txt is `ctest -N` of the build. A cited name ending in ".*" stands for every test it
-- begins; backticked words that are not test names (paths, options) are not checked.
local readme, list = arg[1], arg[2]
local known = {}
for line in io.lines(list) do
  local name = line:match("^%s*Test%s+#%d+: (%S+)")
  if name then known[#known + 1] = name end
end
local function exists(name)
  local prefix = name:match("^(.-)%*$")
  for _, k in ipairs(known) do
    if k == name or (prefix and k:sub(1, #prefix) == prefix) then return true end
  end
  return false
end
local missing, cited = {}, 0
local in_table = false
for line in io.lines(readme) do
  if line:match("^## Features") then in_table = true elseif line:match("^## ") then in_table = false end
  if in_table and line:match("^|") then
    local cells = {}
    for cell in line:gmatch("|([^|]*)") do cells[#cells + 1] = cell end
    local shown = cells[3] or ""
    for word in shown:gmatch("`([^`]+)`") do
      -- Test names: Suite.Name (GoogleTest) or lower.dotted.names (CTest), no path or file suffix.
      if word:match("^[%a][%w_]*%.[%w_.*]+$") then
        if not word:match("%.md$") and not word:match("%.cpp$") and not word:match("%.lua$") and
           not word:match("%.hpp$") and not word:match("%.c$") then
          cited = cited + 1
          if not exists(word) then missing[#missing + 1] = word end
        end
      end
    end
  end
end
print(string.format("%d test names cited in the feature table, %d known tests", cited, #known))
if cited < 50 then
  io.stderr:write("the feature table cites fewer than 50 test names: was it found?\n")
  os.exit(1)
end
if #missing > 0 then
  io.stderr:write("the README's feature table cites tests that do not exist:\n  " .. table.concat(missing, "\n  ") .. "\n")
  os.exit(1)
end
