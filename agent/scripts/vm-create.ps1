<#
  Creates an OpenHVX VM from an image: its disk (a copy, or a differencing disk over the image) grown to
  DiskSizeBytes and its files in <DatastorePath>\<VmId>, the VM with static memory, its COM1 on a named
  pipe, its cloud-init seed ISO (<VmId folder>\<SeedIsoFileName>, written from SeedIsoBase64) in a DVD
  drive, and starts it if asked. On any failure it removes everything it made: VM, disk, ISO, folder.

  Params: VmId, Name, ImageFileName, ImageDirs, DatastorePath, Generation, ProcessorCount,
          MemoryStartupBytes, DiskSizeBytes, DiskProvisioning ('copy' | 'differencing'), SwitchName?,
          SecureBootTemplate?, SeedIsoFileName, SeedIsoBase64?, ConsolePipePath, ReserveBytes, Start
#>
param([Parameter(Mandatory)] $Params)
$ErrorActionPreference = 'Stop'

$vmId = [string]$Params.VmId
Assert-OpenhvxVmId -VmId $vmId
Assert-OpenhvxPipePath -PipePath ([string]$Params.ConsolePipePath)
$name = [string]$Params.Name
$seedIsoBase64 = [string]$Params.SeedIsoBase64

$retried = Find-OpenhvxRetriedVm -VmId $vmId -Name $name
if ($null -ne $retried) { return $retried }

Assert-OpenhvxNameFree -Name $name
Assert-OpenhvxProcessorCount -Count ([int]$Params.ProcessorCount)
$image = Resolve-OpenhvxImage -FileName ([string]$Params.ImageFileName) -ImageDirs @($Params.ImageDirs)
$switchName = Resolve-OpenhvxSwitch -SwitchName ([string]$Params.SwitchName)
$imageVhd = Get-VHD -Path $image
if ([int64]$Params.DiskSizeBytes -lt [int64]$imageVhd.Size) {
    $imageGiB = [math]::Round($imageVhd.Size / 1GB, 2)
    throw (New-OpenhvxError -Code 'DISK_CANNOT_SHRINK' -Message "a $([math]::Round([int64]$Params.DiskSizeBytes / 1GB, 2)) GiB disk is smaller than image $($Params.ImageFileName) ($imageGiB GiB)")
}

$folder = Join-Path -Path ([string]$Params.DatastorePath) -ChildPath $vmId
Remove-OpenhvxLeftovers -VmId $vmId -Folder $folder
$differencing = [string]$Params.DiskProvisioning -eq 'differencing'
$neededBytes = [int64]$imageVhd.FileSize
if ($differencing) { $neededBytes = 0 }
Assert-OpenhvxSpace -Path ([string]$Params.DatastorePath) -NeededBytes $neededBytes -ReserveBytes ([int64]$Params.ReserveBytes)

$vm = $null
try {
    $null = New-Item -ItemType Directory -Path $folder -Force
    $diskPath = Join-Path -Path $folder -ChildPath "$vmId.vhdx"
    if ($differencing) {
        $null = New-VHD -Path $diskPath -ParentPath $image -Differencing
    } else {
        Copy-Item -LiteralPath $image -Destination $diskPath
    }
    if ([int64]$Params.DiskSizeBytes -gt [int64]$imageVhd.Size) {
        Resize-VHD -Path $diskPath -SizeBytes ([int64]$Params.DiskSizeBytes)
    }

    # Created under the vmId, renamed below: New-VM makes a folder named after the VM, and a tenant's
    # name may hold characters a folder name cannot.
    $memoryBytes = [int64]$Params.MemoryStartupBytes
    if ([string]::IsNullOrEmpty($switchName)) {
        $vm = New-VM -Name $vmId -Generation ([int16]$Params.Generation) -MemoryStartupBytes $memoryBytes -VHDPath $diskPath -Path $folder
    } else {
        $vm = New-VM -Name $vmId -Generation ([int16]$Params.Generation) -MemoryStartupBytes $memoryBytes -VHDPath $diskPath -Path $folder -SwitchName $switchName
    }
    # Checkpoints of a cloud VM would silently pin old disk data and fill the datastore.
    Set-VM -VM $vm -NewVMName $name -Notes "openhvx:$vmId" -AutomaticCheckpointsEnabled $false
    Set-VMProcessor -VM $vm -Count ([int64]$Params.ProcessorCount)
    Set-VMMemory -VM $vm -DynamicMemoryEnabled $false -StartupBytes $memoryBytes

    if ([int]$Params.Generation -eq 2) {
        # Boot the image's disk first: a generation 2 VM otherwise tries the network (PXE) for a while.
        $bootDisk = @(Get-OpenhvxHardDiskDrives -Vm $vm)[0]
        if ([string]::IsNullOrEmpty([string]$Params.SecureBootTemplate)) {
            Set-VMFirmware -VM $vm -FirstBootDevice $bootDisk
        } else {
            # Linux images boot only with the UEFI CA template; Hyper-V's default is the Windows one.
            Set-VMFirmware -VM $vm -FirstBootDevice $bootDisk -EnableSecureBoot On -SecureBootTemplate ([string]$Params.SecureBootTemplate)
        }
    }
    if (-not [string]::IsNullOrEmpty($seedIsoBase64)) {
        Set-OpenhvxSeedIso -Vm $vm -Folder $folder -FileName ([string]$Params.SeedIsoFileName) -Base64 $seedIsoBase64
    }
    Set-VMComPort -VM $vm -Number 1 -Path ([string]$Params.ConsolePipePath)
    if ([bool]$Params.Start) {
        Start-VM -VM $vm
    }
    return (Get-OpenhvxVmRecord -Vm $vm)
} catch {
    $failure = $_
    Undo-OpenhvxCreation -Vm $vm -Folder $folder
    throw $failure
}
