<#
  Inventory: every VM on the host (OpenHVX's and others), the virtual switches, and the .vhdx images.
  Params: ImageDirs = [path, ...]
#>
param([Parameter(Mandatory)] $Params)
$ErrorActionPreference = 'Stop'

$vms = @(Get-VM)
$drivesByVm = @{}
$adaptersByVm = @{}
if ($vms.Count -gt 0) {
    # One query per kind for all VMs: a query per VM costs a WMI round trip each, minutes on a full host.
    foreach ($drive in @(Get-VMHardDiskDrive -VM $vms | Sort-Object -Property ControllerType, ControllerNumber, ControllerLocation)) {
        $key = [string]$drive.VMId
        if (-not $drivesByVm.ContainsKey($key)) { $drivesByVm[$key] = [System.Collections.Generic.List[object]]::new() }
        $drivesByVm[$key].Add($drive)
    }
    foreach ($adapter in @(Get-VMNetworkAdapter -VM $vms)) {
        $key = [string]$adapter.VMId
        if (-not $adaptersByVm.ContainsKey($key)) { $adaptersByVm[$key] = [System.Collections.Generic.List[object]]::new() }
        $adaptersByVm[$key].Add($adapter)
    }
}

$records = @(foreach ($vm in $vms) {
    $key = [string]$vm.Id
    $drives = @()
    if ($drivesByVm.ContainsKey($key)) { $drives = $drivesByVm[$key].ToArray() }
    $adapters = @()
    if ($adaptersByVm.ContainsKey($key)) { $adapters = $adaptersByVm[$key].ToArray() }
    ConvertTo-OpenhvxVmRecord -Vm $vm -Drives $drives -Adapters $adapters
})

$switches = @(foreach ($vmSwitch in @(Get-VMSwitch)) {
    [ordered]@{ Name = [string]$vmSwitch.Name; SwitchType = [string]$vmSwitch.SwitchType }
})

$images = @(foreach ($imageDir in @($Params.ImageDirs)) {
    if (-not (Test-Path -LiteralPath $imageDir -PathType Container)) { continue }
    foreach ($file in @(Get-ChildItem -LiteralPath $imageDir -Filter '*.vhdx' -File)) {
        # The virtual size is what a VM disk made from the image must at least be; the file size is a fallback.
        $size = [int64]$file.Length
        try { $size = [int64](Get-VHD -Path $file.FullName).Size } catch { $size = [int64]$file.Length }
        [ordered]@{ FileName = [string]$file.Name; Size = $size; FileSize = [int64]$file.Length }
    }
})

return [ordered]@{ Vms = $records; Switches = $switches; Images = $images }
