<#
  Deletes an OpenHVX VM: turns it off first when Force (else a VM that is on is VM_MUST_BE_OFF), removes
  it, its virtual disks, its seed ISO and its folders (the seed ISO lives in its folder). A VM that is
  already gone is success (Vm = null). Disks inside an image folder are never deleted, whatever is attached.

  Params: VmId, Force, VmFolders = [<datastore>\<VmId>, ...], ImageDirs
#>
param([Parameter(Mandatory)] $Params)
$ErrorActionPreference = 'Stop'

$vmId = [string]$Params.VmId
Assert-OpenhvxVmId -VmId $vmId

function Test-OpenhvxUnder {
    param([Parameter(Mandatory)] [string] $Path, [AllowEmptyCollection()] [string[]] $Folders = @())
    foreach ($folder in $Folders) {
        if ([string]::IsNullOrEmpty($folder)) { continue }
        if ($Path.StartsWith($folder.TrimEnd('\') + '\', [System.StringComparison]::OrdinalIgnoreCase)) { return $true }
    }
    return $false
}

$record = $null
$vm = Find-OpenhvxVm -VmId $vmId
if ($null -ne $vm) {
    Assert-OpenhvxSettled -Vm $vm
    $state = [string]$vm.State
    if ($state -eq 'Running' -or $state -eq 'Paused') {
        if (-not [bool]$Params.Force) {
            throw (New-OpenhvxError -Code 'VM_MUST_BE_OFF' -Message "VM '$($vm.Name)' is $($state.ToLowerInvariant()); turn it off to delete it (or delete with force)")
        }
        Stop-VM -VM $vm -TurnOff -Force
    }
    $record = Get-OpenhvxVmRecord -Vm $vm
    $diskPaths = @(foreach ($drive in @(Get-VMHardDiskDrive -VM $vm)) { if (-not [string]::IsNullOrEmpty([string]$drive.Path)) { [string]$drive.Path } })
    $isoPaths = @(foreach ($dvd in @(Get-VMDvdDrive -VM $vm)) { if (-not [string]::IsNullOrEmpty([string]$dvd.Path)) { [string]$dvd.Path } })
    # Remove-VM deletes the configuration only; the disks are removed below.
    Remove-VM -VM $vm -Force
    foreach ($diskPath in $diskPaths) {
        if (Test-OpenhvxUnder -Path $diskPath -Folders @($Params.ImageDirs)) { continue }
        if (Test-Path -LiteralPath $diskPath) { Remove-Item -LiteralPath $diskPath -Force }
    }
    # Only ISOs inside the VM's own folders (its seed) are the VM's; an installer ISO is shared.
    foreach ($isoPath in $isoPaths) {
        $ours = Test-OpenhvxUnder -Path $isoPath -Folders @($Params.VmFolders)
        if ($ours -and (Test-Path -LiteralPath $isoPath)) { Remove-Item -LiteralPath $isoPath -Force }
    }
}

foreach ($folder in @($Params.VmFolders)) {
    if (Test-Path -LiteralPath ([string]$folder)) { Remove-Item -LiteralPath ([string]$folder) -Recurse -Force }
}

return [ordered]@{ Vm = $record }
