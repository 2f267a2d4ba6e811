<#
  Connects an OpenHVX VM's COM1 to its named pipe, for VMs made before the pipe was part of vm-create or
  whose port was changed by hand. The console relay then opens the pipe.

  Params: VmId, PipePath (\\.\pipe\openhvx-<VmId>-com1)
#>
param([Parameter(Mandatory)] $Params)
$ErrorActionPreference = 'Stop'

$vmId = [string]$Params.VmId
Assert-OpenhvxVmId -VmId $vmId
$pipePath = [string]$Params.PipePath
Assert-OpenhvxPipePath -PipePath $pipePath
$vm = Get-OpenhvxRequiredVm -VmId $vmId
Set-VMComPort -VM $vm -Number 1 -Path $pipePath
return [ordered]@{ PipePath = $pipePath }
