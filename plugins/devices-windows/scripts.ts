/**
 * The Windows PowerShell 5.1 scripts behind devices-windows (COM IMAPI2 for discs, System.Drawing
 * printing of pages rendered by the Windows.Data.Pdf WinRT API — nothing beyond a stock Windows 10/11).
 *
 * Input comes on standard input as lines, never in the command line: text fields are Base64 of UTF-8
 * (any printer or file name survives the console's code page), file lines are `name<TAB>data`, both
 * Base64. Output is one line of JSON on standard output; a refusal is `{"error": CODE, "message": …}`.
 */

/** Shared head: stop on any error, read the input lines, report an unexpected failure as JSON. */
const PRELUDE = String.raw`
$ErrorActionPreference = 'Stop'
function Text([string]$b64) { [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($b64)) }
function Refuse([string]$code, [string]$message) { @{ error = $code; message = $message } | ConvertTo-Json -Compress; exit 3 }
# One line per field; an empty line is an empty field (the default printer).
$lines = @(([Console]::In.ReadToEnd() -replace "\r?\n$", '') -split "\r?\n")
function Files([int]$from) {
  for ($i = $from; $i -lt $lines.Count; $i++) {
    $name, $data = $lines[$i] -split "\t", 2
    [pscustomobject]@{ Name = (Text $name); Bytes = [Convert]::FromBase64String($data) }
  }
}
trap { @{ error = 'E_DEVICE_FAILED'; message = $_.Exception.Message } | ConvertTo-Json -Compress; exit 4 }
`;

/** IMAPI2 recorder of the first drive, or $null; `Media` reads IMAPI_FORMAT2_DATA_MEDIA_STATE (throws without a disc). */
const IMAPI = String.raw`
function Recorder {
  $master = New-Object -ComObject IMAPI2.MsftDiscMaster2
  if (-not $master.IsSupportedEnvironment -or $master.Count -lt 1) { return $null }
  $recorder = New-Object -ComObject IMAPI2.MsftDiscRecorder2
  $recorder.InitializeDiscRecorder($master.Item(0))
  $recorder
}
function Format($recorder) {
  $format = New-Object -ComObject IMAPI2.MsftDiscFormat2Data
  $format.Recorder = $recorder
  $format.ClientName = 'Keyward'
  $format
}
function DriveName($recorder) { $v = @($recorder.VolumePathNames); if ($v.Count) { $v[0] } else { $recorder.ActiveDiscRecorder } }
`;

/** Input: printer (Base64, empty = the default printer). Output: {printer, burner, mediaState, mediaError}. */
export const STATUS_SCRIPT = String.raw`${PRELUDE}${IMAPI}
Add-Type -AssemblyName System.Drawing
$settings = New-Object System.Drawing.Printing.PrinterSettings
$wanted = Text $lines[0]
if ($wanted) { $settings.PrinterName = $wanted }
$out = @{ printer = $(if ($settings.IsValid) { $settings.PrinterName } else { $null }); burner = $null; mediaState = $null; mediaError = $null }
$recorder = Recorder
if ($recorder) {
  $out.burner = DriveName $recorder
  try { $out.mediaState = [int](Format $recorder).CurrentMediaStatus } catch { $out.mediaError = '0x{0:X8}' -f $_.Exception.HResult }
}
$out | ConvertTo-Json -Compress
`;

/**
 * Input: volume label, then the files. Writes them (ISO 9660 + Joliet) as a new session, importing an
 * appendable disc's tree, then reads every file back from the mounted volume and prints its SHA-256.
 * Output: {burner, volume, sha256: [hex | null, …]} in the order given.
 */
export const BURN_SCRIPT = String.raw`${PRELUDE}${IMAPI}
$label = $lines[0]
$recorder = Recorder
if (-not $recorder) { Refuse 'E_NO_BURNER' 'No disc burner is connected' }
$format = Format $recorder
try { $state = [int]$format.CurrentMediaStatus } catch { Refuse 'E_NO_MEDIA' ('There is no disc in ' + (DriveName $recorder)) }
# IMAPI_FORMAT2_DATA_MEDIA_STATE: BLANK 0x2, APPENDABLE 0x4, OVERWRITE_ONLY 0x1
if (-not ($state -band 0x7)) { Refuse 'E_NO_MEDIA' ('The disc in ' + (DriveName $recorder) + ' takes no more data; insert a blank disc') }
$image = New-Object -ComObject IMAPI2FS.MsftFileSystemImage
$image.ChooseImageDefaults($recorder)
$image.FileSystemsToCreate = 3  # FsiFileSystemISO9660 | FsiFileSystemJoliet
$image.VolumeName = $label
if (-not $format.MediaHeuristicallyBlank) {
  $image.MultisessionInterfaces = $format.MultisessionInterfaces
  $null = $image.ImportFileSystem()
}
$files = @(Files 1)
foreach ($f in $files) {
  # ADODB.Stream is a COM IStream held in memory: the letters never touch the disk before the disc.
  $stream = New-Object -ComObject ADODB.Stream
  $stream.Type = 1
  $stream.Open()
  if ($f.Bytes.Length) { $stream.Write($f.Bytes) }
  $stream.Position = 0
  $image.Root.AddFile($f.Name, $stream)
}
$format.Write($image.CreateResultImage().ImageStream)
# Read back through the file system once Windows has mounted the new session (up to a minute).
$volume = $null
for ($try = 0; $try -lt 60 -and -not $volume; $try++) {
  $v = @($recorder.VolumePathNames)
  if ($v.Count -and (Test-Path -LiteralPath (Join-Path $v[0] $files[0].Name))) { $volume = $v[0] } else { Start-Sleep -Seconds 1 }
}
$hashes = foreach ($f in $files) {
  $p = if ($volume) { Join-Path $volume $f.Name } else { $null }
  if ($p -and (Test-Path -LiteralPath $p)) { (Get-FileHash -LiteralPath $p -Algorithm SHA256).Hash.ToLowerInvariant() } else { $null }
}
@{ burner = (DriveName $recorder); volume = $volume; sha256 = @($hashes) } | ConvertTo-Json -Compress
`;

/**
 * Input: printer (Base64, empty = the default printer), then the PDF files. Each PDF is rendered page by
 * page at 300 dpi by Windows.Data.Pdf and printed as one job named after the file.
 * Output: {printer, printed: count}.
 */
export const PRINT_SCRIPT = String.raw`${PRELUDE}
Add-Type -AssemblyName System.Drawing
Add-Type -AssemblyName System.Runtime.WindowsRuntime
$null = [Windows.Data.Pdf.PdfDocument, Windows.Data.Pdf, ContentType = WindowsRuntime]
$null = [Windows.Storage.Streams.InMemoryRandomAccessStream, Windows.Storage.Streams, ContentType = WindowsRuntime]
$ext = [System.WindowsRuntimeSystemExtensions].GetMethods() | Where-Object { $_.Name -eq 'AsTask' -and $_.GetParameters().Count -eq 1 }
$asTaskOf = $ext | Where-Object { $_.GetParameters()[0].ParameterType.Name -eq 'IAsyncOperation${'`'}1' } | Select-Object -First 1
$asTask = $ext | Where-Object { $_.GetParameters()[0].ParameterType.Name -eq 'IAsyncAction' } | Select-Object -First 1
function Await($op, [Type]$type) { $t = $asTaskOf.MakeGenericMethod($type).Invoke($null, @($op)); $t.Wait(); $t.Result }
function AwaitAction($op) { $asTask.Invoke($null, @($op)).Wait() }

$settings = New-Object System.Drawing.Printing.PrinterSettings
$wanted = Text $lines[0]
if ($wanted) { $settings.PrinterName = $wanted }
if (-not $settings.IsValid) { Refuse 'E_NO_PRINTER' ('Windows does not know the printer "' + $settings.PrinterName + '"') }
$count = 0
foreach ($f in @(Files 1)) {
  $source = [System.IO.WindowsRuntimeStreamExtensions]::AsRandomAccessStream((New-Object System.IO.MemoryStream(, $f.Bytes)))
  $pdf = Await ([Windows.Data.Pdf.PdfDocument]::LoadFromStreamAsync($source)) ([Windows.Data.Pdf.PdfDocument])
  $pages = New-Object System.Collections.Generic.List[System.Drawing.Image]
  for ($i = 0; $i -lt $pdf.PageCount; $i++) {
    $page = $pdf.GetPage($i)
    $options = New-Object Windows.Data.Pdf.PdfPageRenderOptions
    $options.DestinationWidth = [uint32]($page.Size.Width * 300 / 96)  # page size is in 1/96 inch
    $png = New-Object Windows.Storage.Streams.InMemoryRandomAccessStream
    AwaitAction ($page.RenderToStreamAsync($png, $options))
    $png.Seek(0)
    $pages.Add([System.Drawing.Image]::FromStream([System.IO.WindowsRuntimeStreamExtensions]::AsStreamForRead($png)))
  }
  $job = New-Object System.Drawing.Printing.PrintDocument
  $job.PrinterSettings = $settings
  $job.DocumentName = $f.Name
  $script:next = 0
  $job.add_PrintPage({
    param($sender, $e)
    # Graphics start at the printable area; shift back by the hard margins so the page is placed 1:1.
    $r = $e.PageBounds
    $e.Graphics.DrawImage($pages[$script:next], -$e.PageSettings.HardMarginX, -$e.PageSettings.HardMarginY, $r.Width, $r.Height)
    $script:next++
    $e.HasMorePages = $script:next -lt $pages.Count
  })
  $job.Print()
  $pages | ForEach-Object { $_.Dispose() }
  $count++
}
@{ printer = $settings.PrinterName; printed = $count } | ConvertTo-Json -Compress
`;
