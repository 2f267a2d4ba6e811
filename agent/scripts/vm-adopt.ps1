<#
  Adopts a VM made outside OpenHVX: marks it as the control plane's VM VmId (the line openhvx:<VmId> in its
  Notes), so every later action finds it by that id. The VM is found by Hyper-V's own id, the one the
  inventory reports. A marker it carries for another vmId is replaced: the control plane adopts only VMs
  whose marker names no VM it knows. The rest of its Notes stay. A vmId another VM on this host carries is
  refused. A VM that carries this marker already is answered as it is, so a re-run changes nothing.

  Params: VmId, HypervisorId (a GUID), PipePath (\\.\pipe\openhvx-<VmId>-com1)
#>
param([Parameter(Mandatory)] $Params)
$ErrorActionPreference = 'Stop'

$vmId = [string]$Params.VmId
Assert-OpenhvxVmId -VmId $vmId
$pipePath = [string]$Params.PipePath
Assert-OpenhvxPipePath -PipePath $pipePath
$hypervisorId = [guid]::Empty
if (-not [guid]::TryParse([string]$Params.HypervisorId, [ref]$hypervisorId)) {
    throw (New-OpenhvxError -Code 'INVALID_PARAMS' -Message "'$([string]$Params.HypervisorId)' is not a Hyper-V VM id")
}

$vm = $null
$holders = [System.Collections.Generic.List[object]]::new()
foreach ($candidate in @(Get-VM)) {
    if ([guid]$candidate.Id -eq $hypervisorId) {
        $vm = $candidate
    } elseif (Test-OpenhvxMarker -Notes $candidate.Notes -VmId $vmId) {
        $holders.Add($candidate)
    }
}
if ($null -eq $vm) {
    throw (New-OpenhvxError -Code 'NOT_FOUND' -Message "there is no VM with id $hypervisorId on this host")
}
if ($holders.Count -gt 0) {
    throw (New-OpenhvxError -Code 'INVALID_PARAMS' -Message "vmId $vmId already belongs to VM '$($holders[0].Name)' on this host")
}

$markedNotes = ConvertTo-OpenhvxMarkedNotes -Notes ([string]$vm.Notes) -VmId $vmId
if ($markedNotes -cne [string]$vm.Notes) {
    Set-VM -VM $vm -Notes $markedNotes
}

# COM1 goes to the console pipe only while the VM is off. A VM that runs (or is paused or saved) keeps its
# port as it is: its guest may be using that serial line right now, and switching it under the guest would
# cut it off. The console connects it to the pipe (vm-console-pipe) when someone opens the console.
if ([string]$vm.State -eq 'Off') {
    Set-VMComPort -VM $vm -Number 1 -Path $pipePath
}

return (Get-OpenhvxVmRecord -Vm $vm)
