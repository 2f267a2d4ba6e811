<#
  Changes an OpenHVX VM's power state with Hyper-V's own semantics. A VM already where the action leads
  answers success (a re-run job must not fail); an action its state does not allow is INVALID_STATE.

  Params: VmId, Action ('start' | 'stop' | 'shutdown' | 'restart' | 'pause' | 'resume' | 'save')
    stop = Stop-VM -TurnOff (pull the plug), shutdown = Stop-VM through the guest, restart = Restart-VM
    (a hard reset), pause = Suspend-VM, resume = Resume-VM, save = Save-VM.
#>
param([Parameter(Mandatory)] $Params)
$ErrorActionPreference = 'Stop'

$vmId = [string]$Params.VmId
Assert-OpenhvxVmId -VmId $vmId
$action = [string]$Params.Action
$vm = Get-OpenhvxRequiredVm -VmId $vmId
Assert-OpenhvxSettled -Vm $vm
$state = [string]$vm.State

# Action -> states it acts from, and the state it leads to (restart has no resting target: it always acts).
$plans = @{
    start = @{ From = @('Off', 'Saved'); To = 'Running' }
    stop = @{ From = @('Running', 'Paused'); To = 'Off' }
    shutdown = @{ From = @('Running'); To = 'Off' }
    restart = @{ From = @('Running'); To = '' }
    pause = @{ From = @('Running'); To = 'Paused' }
    resume = @{ From = @('Paused'); To = 'Running' }
    save = @{ From = @('Running', 'Paused'); To = 'Saved' }
}
if (-not $plans.ContainsKey($action)) {
    throw (New-OpenhvxError -Code 'INVALID_PARAMS' -Message "'$action' is not a power action")
}
$plan = $plans[$action]
if ($state -eq $plan.To) {
    return (Get-OpenhvxVmRecord -Vm $vm)
}
if ($plan.From -notcontains $state) {
    $hints = @{ Off = 'start it first'; Paused = 'resume it or turn it off'; Saved = 'start it to restore it, or delete it' }
    $hint = ''
    if ($hints.ContainsKey($state)) { $hint = "; $($hints[$state])" }
    throw (New-OpenhvxError -Code 'INVALID_STATE' -Message "cannot $action VM '$($vm.Name)': it is $($state.ToLowerInvariant())$hint")
}

if ($action -eq 'start') {
    Start-VM -VM $vm
} elseif ($action -eq 'stop') {
    Stop-VM -VM $vm -TurnOff -Force
} elseif ($action -eq 'shutdown') {
    # -Force: no confirmation prompt (which -NonInteractive would turn into an error) and no waiting on a
    # locked guest; the guest still shuts down through its integration services.
    Stop-VM -VM $vm -Force
} elseif ($action -eq 'restart') {
    Restart-VM -VM $vm -Force
} elseif ($action -eq 'pause') {
    Suspend-VM -VM $vm
} elseif ($action -eq 'resume') {
    Resume-VM -VM $vm
} else {
    Save-VM -VM $vm
}
return (Get-OpenhvxVmRecord -Vm $vm)
