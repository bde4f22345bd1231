# Bootstrap only: restore the pinned dotnet tools, then run the Cake script with the arguments given.
#   ./build.ps1 --target=Test
#   ./build.ps1 --help
$ErrorActionPreference = 'Stop'
# Paths given as arguments are relative to where this was run from; the script itself runs in build/.
$env:GAMEDATA_CALLER_DIR = (Get-Location).Path
Set-Location -LiteralPath $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'
# No colour codes in CI logs or redirected output (Cake and the gamedata command both honour NO_COLOR).
if (($env:CI -and $env:CI -ne 'false') -or [Console]::IsOutputRedirected) { $env:NO_COLOR = '1' }
dotnet tool restore | Out-Null
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
# Cake's own parser would stop at an empty value with exit 255 ("Expected an option value.").
foreach ($arg in $args) {
    if ($arg -match '^--.+=$') { [Console]::Error.WriteLine("error: $($arg.TrimEnd('=')) '' is empty; give a value, or leave it out for the default"); exit 2 }
}
$forwarded = @($args | ForEach-Object { if ($_ -in @('-h', '--help')) { '--target=Help'; '--no-report' } else { $_ } })
dotnet cake build/build.cake @forwarded
exit $LASTEXITCODE
