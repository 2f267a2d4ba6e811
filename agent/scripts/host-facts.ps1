<#
  Host facts: processors and memory as Hyper-V sees them, the OS, and the space of each datastore.
  Params: Datastores = [{ Name, Path }]
#>
param([Parameter(Mandatory)] $Params)
$ErrorActionPreference = 'Stop'

$vmHost = Get-VMHost
$os = Get-CimInstance -ClassName Win32_OperatingSystem
$volumes = @(Get-CimInstance -ClassName Win32_Volume)

$datastores = @(foreach ($datastore in @($Params.Datastores)) {
    $space = Get-OpenhvxVolumeSpace -Path ([string]$datastore.Path) -Volumes $volumes
    [ordered]@{ Name = [string]$datastore.Name; Path = [string]$datastore.Path; Size = $space.Size; SizeRemaining = $space.SizeRemaining }
})

return [ordered]@{
    Hostname = [string]$os.CSName
    OsCaption = [string]$os.Caption
    OsVersion = [string]$os.Version
    LogicalProcessorCount = [int]$vmHost.LogicalProcessorCount
    MemoryCapacity = [int64]$vmHost.MemoryCapacity
    # Win32_OperatingSystem reports KiB; memory given to running VMs is no longer free here.
    FreePhysicalMemoryKiB = [int64]$os.FreePhysicalMemory
    Datastores = $datastores
}
