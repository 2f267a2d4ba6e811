/**
 * The documented parameters of every cmdlet the OpenHVX scripts may call, per parameter set, for the
 * static spec. Transcribed from the SYNTAX sections of the Windows Server 2022 reference
 * (learn.microsoft.com/powershell/module/hyper-v/<cmdlet>, .../storage/get-volume, and the Windows
 * PowerShell 5.1 reference for the generic cmdlets: 5.1 is what every Hyper-V host has, so parameters
 * added in PowerShell 7 (ConvertTo-Json -AsArray, Join-Path -AdditionalChildPath...) are left out).
 *
 * `output` says whether the cmdlet writes objects: `always`, only with -Passthru (`passthru`), or
 * `none`. A script must capture (assign, pipe, group) the output of a cmdlet that writes, or it
 * becomes part of the script's answer.
 */

export type OutputKind = 'always' | 'passthru' | 'none';

export interface CmdletSpec {
  output: OutputKind;
  /** Parameter set name → every parameter of that set. */
  parameterSets: Readonly<Record<string, readonly string[]>>;
  /** Documented parameter aliases → the parameter. */
  aliases?: Readonly<Record<string, string>>;
}

/** Accepted by every cmdlet and advanced function (about_CommonParameters). */
export const COMMON_PARAMETERS: readonly string[] = [
  'Debug',
  'ErrorAction',
  'ErrorVariable',
  'InformationAction',
  'InformationVariable',
  'OutBuffer',
  'OutVariable',
  'PipelineVariable',
  'Verbose',
  'WarningAction',
  'WarningVariable',
];

const REMOTE = ['CimSession', 'ComputerName', 'Credential'];
const CONFIRM = ['WhatIf', 'Confirm'];

/** Start-VM, Save-VM, Suspend-VM, Resume-VM share this shape. */
function vmVerb(extra: string[] = []): Record<string, readonly string[]> {
  return {
    Name: [...REMOTE, 'Name', ...extra, 'AsJob', 'Passthru', ...CONFIRM],
    VMObject: ['VM', ...extra, 'AsJob', 'Passthru', ...CONFIRM],
  };
}

const SET_VM_SHARED = [
  'GuestControlledCacheTypes',
  'LowMemoryMappedIoSpace',
  'HighMemoryMappedIoSpace',
  'ProcessorCount',
  'DynamicMemory',
  'StaticMemory',
  'MemoryMinimumBytes',
  'MemoryMaximumBytes',
  'MemoryStartupBytes',
  'AutomaticStartAction',
  'AutomaticStopAction',
  'AutomaticStartDelay',
  'AutomaticCriticalErrorAction',
  'AutomaticCriticalErrorActionTimeout',
  'AutomaticCheckpointsEnabled',
  'LockOnDisconnect',
  'Notes',
  'NewVMName',
  'SnapshotFileLocation',
  'SmartPagingFilePath',
  'CheckpointType',
  'Passthru',
  'AllowUnverifiedPaths',
  ...CONFIRM,
];

const NEW_VM_SHARED = ['Name', 'MemoryStartupBytes', 'BootDevice', 'SwitchName', 'Path', 'Version', 'Prerelease', 'Generation', 'Force', 'AsJob', ...REMOTE, ...CONFIRM];

const SET_VMPROCESSOR_SHARED = [
  'Count',
  'CompatibilityForMigrationEnabled',
  'CompatibilityForOlderOperatingSystemsEnabled',
  'HwThreadCountPerCore',
  'Maximum',
  'Reserve',
  'RelativeWeight',
  'MaximumCountPerNumaNode',
  'MaximumCountPerNumaSocket',
  'ResourcePoolName',
  'EnableHostResourceProtection',
  'ExposeVirtualizationExtensions',
  'Passthru',
  ...CONFIRM,
];

const SET_VMMEMORY_SHARED = ['Buffer', 'DynamicMemoryEnabled', 'MaximumBytes', 'StartupBytes', 'MinimumBytes', 'Priority', 'MaximumAmountPerNumaNodeBytes', 'ResourcePoolName', 'Passthru', ...CONFIRM];

const NEW_VHD_SHARED = ['Path', 'BlockSizeBytes', 'AsJob', ...REMOTE, ...CONFIRM];

const SET_VMFIRMWARE_SHARED = [
  'BootOrder',
  'FirstBootDevice',
  'EnableSecureBoot',
  'SecureBootTemplate',
  'SecureBootTemplateId',
  'PreferredNetworkBootProtocol',
  'ConsoleMode',
  'PauseAfterBootFailure',
  'Passthru',
  ...CONFIRM,
];

const ADD_VMHARDDISKDRIVE_SHARED = [
  'ControllerLocation',
  'Path',
  'DiskNumber',
  'ResourcePoolName',
  'SupportPersistentReservations',
  'AllowUnverifiedPaths',
  'MaximumIOPS',
  'MinimumIOPS',
  'QoSPolicyID',
  'QoSPolicy',
  'Passthru',
  'OverrideCacheAttributes',
  ...CONFIRM,
];

const PROVIDER_PATH_SHARED = ['Filter', 'Include', 'Exclude', 'Credential', 'UseTransaction'];

export const CMDLET_CATALOG: Readonly<Record<string, CmdletSpec>> = {
  // ---- Hyper-V module ------------------------------------------------------------------------
  'New-VM': {
    output: 'always',
    parameterSets: {
      'No VHD': [...NEW_VM_SHARED, 'NoVHD'],
      'New VHD': [...NEW_VM_SHARED, 'NewVHDPath', 'NewVHDSizeBytes'],
      'Existing VHD': [...NEW_VM_SHARED, 'VHDPath'],
    },
    aliases: { VMName: 'Name' },
  },
  'Set-VM': {
    output: 'passthru',
    parameterSets: { Name: [...REMOTE, 'Name', ...SET_VM_SHARED], VMObject: ['VM', ...SET_VM_SHARED] },
    aliases: { VMName: 'Name' },
  },
  'Get-VM': {
    output: 'always',
    parameterSets: { Name: ['Name', ...REMOTE], Id: [...REMOTE, 'Id'], ClusterObject: ['ClusterObject'] },
    aliases: { VMName: 'Name' },
  },
  'Start-VM': { output: 'passthru', parameterSets: vmVerb(), aliases: { VMName: 'Name' } },
  'Stop-VM': { output: 'passthru', parameterSets: vmVerb(['Save', 'TurnOff', 'Force']), aliases: { VMName: 'Name' } },
  'Restart-VM': {
    output: 'passthru',
    parameterSets: {
      Name: [...REMOTE, 'Name', 'Force', 'AsJob', 'Passthru', 'Type', ...CONFIRM],
      NameWait: [...REMOTE, 'Name', 'Force', 'AsJob', 'Passthru', 'Wait', 'For', 'Delay', 'Timeout', 'Type', ...CONFIRM],
      VMObject: ['VM', 'Force', 'AsJob', 'Passthru', ...CONFIRM],
      VMObjectWait: ['VM', 'Force', 'AsJob', 'Passthru', 'Wait', 'For', 'Delay', 'Timeout', ...CONFIRM],
    },
    aliases: { VMName: 'Name', TimeoutSec: 'Timeout' },
  },
  'Suspend-VM': { output: 'passthru', parameterSets: vmVerb(), aliases: { VMName: 'Name' } },
  'Resume-VM': { output: 'passthru', parameterSets: vmVerb(), aliases: { VMName: 'Name' } },
  'Save-VM': { output: 'passthru', parameterSets: vmVerb(), aliases: { VMName: 'Name' } },
  'Remove-VM': { output: 'passthru', parameterSets: vmVerb(['Force']), aliases: { VMName: 'Name' } },
  'Set-VMProcessor': {
    output: 'passthru',
    parameterSets: {
      VMName: [...REMOTE, 'VMName', ...SET_VMPROCESSOR_SHARED, 'Perfmon'],
      VMObject: ['VM', ...SET_VMPROCESSOR_SHARED],
      VMProcessor: ['VMProcessor', ...SET_VMPROCESSOR_SHARED],
    },
  },
  'Set-VMMemory': {
    output: 'passthru',
    parameterSets: {
      VMName: [...REMOTE, 'VMName', ...SET_VMMEMORY_SHARED],
      VMObject: ['VM', ...SET_VMMEMORY_SHARED],
      ResourceObject: ['VMMemory', ...SET_VMMEMORY_SHARED],
    },
  },
  'New-VHD': {
    output: 'always',
    parameterSets: {
      DynamicWithoutSource: [...NEW_VHD_SHARED, 'SizeBytes', 'Dynamic', 'LogicalSectorSizeBytes', 'PhysicalSectorSizeBytes'],
      Differencing: [...NEW_VHD_SHARED, 'ParentPath', 'SizeBytes', 'Differencing', 'PhysicalSectorSizeBytes'],
      FixedWithoutSource: [...NEW_VHD_SHARED, 'SizeBytes', 'Fixed', 'LogicalSectorSizeBytes', 'PhysicalSectorSizeBytes'],
      FixedWithSource: [...NEW_VHD_SHARED, 'SourceDisk', 'Fixed'],
      DynamicWithSource: [...NEW_VHD_SHARED, 'SourceDisk', 'Dynamic'],
    },
    aliases: { Number: 'SourceDisk' },
  },
  'Resize-VHD': {
    output: 'passthru',
    parameterSets: {
      Size: ['Path', 'SizeBytes', 'AsJob', 'PassThru', ...REMOTE, ...CONFIRM],
      MinimumSize: ['Path', 'ToMinimumSize', 'AsJob', 'PassThru', ...REMOTE, ...CONFIRM],
    },
    aliases: { FullName: 'Path' },
  },
  'Get-VHD': {
    output: 'always',
    parameterSets: { Path: ['Path', ...REMOTE], Disk: ['DiskNumber', ...REMOTE], VMId: ['VMId', ...REMOTE] },
    aliases: { FullName: 'Path', Number: 'DiskNumber', Id: 'VMId' },
  },
  'Add-VMDvdDrive': {
    output: 'passthru',
    parameterSets: {
      VMName: [...REMOTE, 'VMName', 'ControllerNumber', 'ControllerLocation', 'Path', 'ResourcePoolName', 'AllowUnverifiedPaths', 'Passthru', ...CONFIRM],
      VMObject: ['VM', 'ControllerNumber', 'ControllerLocation', 'Path', 'ResourcePoolName', 'AllowUnverifiedPaths', 'Passthru', ...CONFIRM],
      VMDriveController: ['VMDriveController', 'ControllerLocation', 'Path', 'ResourcePoolName', 'AllowUnverifiedPaths', 'Passthru', ...CONFIRM],
    },
  },
  'Set-VMDvdDrive': {
    output: 'passthru',
    parameterSets: {
      VMName: [...REMOTE, 'VMName', 'ControllerNumber', 'ControllerLocation', 'ToControllerNumber', 'ToControllerLocation', 'Path', 'ResourcePoolName', 'AllowUnverifiedPaths', 'Passthru', ...CONFIRM],
      Object: ['VMDvdDrive', 'ToControllerNumber', 'ToControllerLocation', 'Path', 'ResourcePoolName', 'AllowUnverifiedPaths', 'Passthru', ...CONFIRM],
    },
  },
  'Get-VMDvdDrive': {
    output: 'always',
    parameterSets: {
      VMName: [...REMOTE, 'VMName', 'ControllerLocation', 'ControllerNumber'],
      VMObject: ['VM', 'ControllerLocation', 'ControllerNumber'],
      VMSnapshot: ['VMSnapshot', 'ControllerLocation', 'ControllerNumber'],
      VMDriveController: ['VMDriveController', 'ControllerLocation'],
    },
    aliases: { VMCheckpoint: 'VMSnapshot' },
  },
  'Set-VMComPort': {
    output: 'passthru',
    parameterSets: {
      VMName: ['VMName', 'Path', 'Number', ...REMOTE, 'DebuggerMode', 'Passthru', ...CONFIRM],
      VMObject: ['VM', 'Path', 'Number', 'DebuggerMode', 'Passthru', ...CONFIRM],
      VMComPort: ['VMComPort', 'Path', 'DebuggerMode', 'Passthru', ...CONFIRM],
    },
  },
  'Set-VMFirmware': {
    output: 'passthru',
    parameterSets: {
      VMName: [...REMOTE, 'VMName', ...SET_VMFIRMWARE_SHARED],
      VMObject: ['VM', ...SET_VMFIRMWARE_SHARED],
      VMFirmware: ['VMFirmware', ...SET_VMFIRMWARE_SHARED],
    },
  },
  'Get-VMFirmware': {
    output: 'always',
    parameterSets: { VMName: [...REMOTE, 'VMName'], VMObject: ['VM'], VMSnapshot: ['VMSnapshot'] },
    aliases: { VMCheckpoint: 'VMSnapshot' },
  },
  'Get-VMHost': { output: 'always', parameterSets: { ComputerName: ['ComputerName', 'Credential'], CimSession: ['CimSession'] } },
  'Get-VMSwitch': {
    output: 'always',
    parameterSets: { Name: ['Name', 'ResourcePoolName', 'SwitchType', ...REMOTE], Id: ['Id', 'ResourcePoolName', 'SwitchType', ...REMOTE] },
    aliases: { SwitchName: 'Name', SwitchId: 'Id' },
  },
  'Get-VMNetworkAdapter': {
    output: 'always',
    parameterSets: {
      VMName: ['IsLegacy', ...REMOTE, 'VMName', 'Name'],
      VMObject: ['IsLegacy', 'VM', 'Name'],
      ManagementOS: [...REMOTE, 'Name', 'ManagementOS', 'SwitchName'],
      All: [...REMOTE, 'Name', 'All'],
      VMSnapshot: ['Name', 'VMSnapshot'],
    },
    aliases: { VMNetworkAdapterName: 'Name', VMCheckpoint: 'VMSnapshot' },
  },
  'Add-VMNetworkAdapter': {
    output: 'passthru',
    parameterSets: {
      VMName: [...REMOTE, 'VMName', 'SwitchName', 'IsLegacy', 'Name', 'DynamicMacAddress', 'StaticMacAddress', 'Passthru', 'ResourcePoolName', 'DeviceNaming', ...CONFIRM],
      ManagementOS: [...REMOTE, 'ManagementOS', 'SwitchName', 'Name', 'DynamicMacAddress', 'StaticMacAddress', 'Passthru', 'DeviceNaming', ...CONFIRM],
      VMObject: ['SwitchName', 'IsLegacy', 'Name', 'DynamicMacAddress', 'StaticMacAddress', 'Passthru', 'ResourcePoolName', 'VM', 'DeviceNaming', ...CONFIRM],
    },
    aliases: { VMNetworkAdapterName: 'Name' },
  },
  'Get-VMHardDiskDrive': {
    output: 'always',
    parameterSets: {
      VMName: [...REMOTE, 'VMName', 'ControllerLocation', 'ControllerNumber', 'ControllerType'],
      VMObject: ['VM', 'ControllerLocation', 'ControllerNumber', 'ControllerType'],
      VMSnapshot: ['VMSnapshot', 'ControllerLocation', 'ControllerNumber', 'ControllerType'],
      VMDriveController: ['ControllerLocation', 'VMDriveController'],
    },
    aliases: { VMCheckpoint: 'VMSnapshot' },
  },
  'Add-VMHardDiskDrive': {
    output: 'passthru',
    parameterSets: {
      VMName: [...REMOTE, 'VMName', 'ControllerType', 'ControllerNumber', ...ADD_VMHARDDISKDRIVE_SHARED],
      VMObject: ['VM', 'ControllerType', 'ControllerNumber', ...ADD_VMHARDDISKDRIVE_SHARED],
      VMDriveController: ['VMDriveController', ...ADD_VMHARDDISKDRIVE_SHARED],
    },
    aliases: { Number: 'DiskNumber', ShareVirtualDisk: 'SupportPersistentReservations', PSComputerName: 'ComputerName' },
  },
  'Export-VM': {
    output: 'passthru',
    parameterSets: {
      Name: [...REMOTE, 'Name', 'Path', 'AsJob', 'Passthru', 'CaptureLiveState', ...CONFIRM],
      VMObject: ['VM', 'Path', 'AsJob', 'Passthru', 'CaptureLiveState', ...CONFIRM],
    },
    aliases: { VMName: 'Name' },
  },
  'Import-VM': {
    output: 'always',
    parameterSets: {
      Register: [...REMOTE, 'Path', 'Register', 'AsJob', ...CONFIRM],
      Copy: [...REMOTE, 'Path', 'VhdDestinationPath', 'Copy', 'VirtualMachinePath', 'SnapshotFilePath', 'SmartPagingFilePath', 'VhdSourcePath', 'GenerateNewId', 'AsJob', ...CONFIRM],
      CompatibilityReport: ['CompatibilityReport', 'AsJob', ...CONFIRM],
    },
    aliases: { CheckpointFileLocation: 'SnapshotFilePath', SnapshotFileLocation: 'SnapshotFilePath' },
  },

  // ---- Storage and CIM -------------------------------------------------------------------------
  'Get-Volume': {
    output: 'always',
    parameterSets: Object.fromEntries(
      [
        ['ByDriveLetter', 'DriveLetter'],
        ['ById', 'ObjectId'],
        ['ByUniqueId', 'UniqueId'],
        ['ByPaths', 'Path'],
        ['ByLabel', 'FileSystemLabel'],
        ['ByPartition', 'Partition'],
        ['ByDiskImage', 'DiskImage'],
        ['ByStorageSubSystem', 'StorageSubSystem'],
        ['ByStoragePool', 'StoragePool'],
        ['ByStorageNode', 'StorageNode'],
        ['ByStorageFileServer', 'StorageFileServer'],
        ['ByFileShare', 'FileShare'],
        ['ByStorageJob', 'StorageJob'],
        ['ByFilePath', 'FilePath'],
      ].map(([set, parameter]) => [set, [parameter, 'CimSession', 'ThrottleLimit', 'AsJob']]),
    ),
    aliases: { Session: 'CimSession', Id: 'ObjectId', FullName: 'FilePath' },
  },
  'Get-CimInstance': {
    output: 'always',
    parameterSets: {
      ClassNameComputerSet: ['ClassName', 'Namespace', 'ComputerName', 'Filter', 'Property', 'KeyOnly', 'Shallow', 'OperationTimeoutSec'],
      ClassNameSessionSet: ['ClassName', 'CimSession', 'Namespace', 'Filter', 'Property', 'KeyOnly', 'Shallow', 'OperationTimeoutSec'],
      QueryComputerSet: ['Query', 'QueryDialect', 'Namespace', 'ComputerName', 'Shallow', 'OperationTimeoutSec'],
      QuerySessionSet: ['Query', 'CimSession', 'QueryDialect', 'Namespace', 'Shallow', 'OperationTimeoutSec'],
    },
    aliases: { OT: 'OperationTimeoutSec', CN: 'ComputerName', ServerName: 'ComputerName' },
  },
  'Invoke-CimMethod': {
    output: 'always',
    parameterSets: {
      ClassNameComputerSet: ['ClassName', 'Arguments', 'MethodName', 'ComputerName', 'Namespace', 'OperationTimeoutSec', ...CONFIRM],
      ClassNameSessionSet: ['ClassName', 'Arguments', 'MethodName', 'CimSession', 'Namespace', 'OperationTimeoutSec', ...CONFIRM],
      ResourceUriComputerSet: ['Arguments', 'MethodName', 'ResourceUri', 'ComputerName', 'Namespace', 'OperationTimeoutSec', ...CONFIRM],
      ResourceUriSessionSet: ['Arguments', 'MethodName', 'ResourceUri', 'CimSession', 'Namespace', 'OperationTimeoutSec', ...CONFIRM],
      CimInstanceComputerSet: ['InputObject', 'Arguments', 'MethodName', 'ResourceUri', 'ComputerName', 'OperationTimeoutSec', ...CONFIRM],
      CimInstanceSessionSet: ['InputObject', 'Arguments', 'MethodName', 'CimSession', 'ResourceUri', 'OperationTimeoutSec', ...CONFIRM],
      CimClassComputerSet: ['CimClass', 'Arguments', 'MethodName', 'ComputerName', 'OperationTimeoutSec', ...CONFIRM],
      CimClassSessionSet: ['CimClass', 'Arguments', 'MethodName', 'CimSession', 'OperationTimeoutSec', ...CONFIRM],
      QueryComputerSet: ['Query', 'QueryDialect', 'Arguments', 'MethodName', 'ComputerName', 'Namespace', 'OperationTimeoutSec', ...CONFIRM],
      QuerySessionSet: ['Query', 'QueryDialect', 'Arguments', 'MethodName', 'CimSession', 'Namespace', 'OperationTimeoutSec', ...CONFIRM],
    },
    aliases: { CimInstance: 'InputObject', Name: 'MethodName', OT: 'OperationTimeoutSec' },
  },

  // ---- Windows PowerShell 5.1 core -------------------------------------------------------------
  'Copy-Item': {
    output: 'passthru',
    parameterSets: {
      Path: ['Path', 'Destination', 'Container', 'Force', 'Recurse', 'PassThru', 'FromSession', 'ToSession', ...PROVIDER_PATH_SHARED, ...CONFIRM],
      LiteralPath: ['LiteralPath', 'Destination', 'Container', 'Force', 'Recurse', 'PassThru', 'FromSession', 'ToSession', ...PROVIDER_PATH_SHARED, ...CONFIRM],
    },
    aliases: { PSPath: 'LiteralPath' },
  },
  'Remove-Item': {
    output: 'none',
    parameterSets: {
      Path: ['Path', 'Recurse', 'Force', 'Stream', ...PROVIDER_PATH_SHARED, ...CONFIRM],
      LiteralPath: ['LiteralPath', 'Recurse', 'Force', 'Stream', ...PROVIDER_PATH_SHARED, ...CONFIRM],
    },
    aliases: { PSPath: 'LiteralPath' },
  },
  'Get-ChildItem': {
    output: 'always',
    // Attributes, Directory, File, Hidden, ReadOnly, System: the FileSystem provider's dynamic parameters.
    parameterSets: {
      Items: ['Path', 'Recurse', 'Depth', 'Force', 'Name', 'Attributes', 'Directory', 'File', 'Hidden', 'ReadOnly', 'System', ...PROVIDER_PATH_SHARED],
      LiteralItems: ['LiteralPath', 'Recurse', 'Depth', 'Force', 'Name', 'Attributes', 'Directory', 'File', 'Hidden', 'ReadOnly', 'System', ...PROVIDER_PATH_SHARED],
    },
    aliases: { PSPath: 'LiteralPath' },
  },
  'Get-Item': {
    output: 'always',
    parameterSets: { Path: ['Path', 'Force', 'Stream', ...PROVIDER_PATH_SHARED], LiteralPath: ['LiteralPath', 'Force', 'Stream', ...PROVIDER_PATH_SHARED] },
    aliases: { PSPath: 'LiteralPath' },
  },
  'New-Item': {
    output: 'always',
    parameterSets: {
      pathSet: ['Path', 'ItemType', 'Value', 'Force', 'Credential', 'UseTransaction', ...CONFIRM],
      nameSet: ['Path', 'Name', 'ItemType', 'Value', 'Force', 'Credential', 'UseTransaction', ...CONFIRM],
    },
    aliases: { Type: 'ItemType', Target: 'Value' },
  },
  'Test-Path': {
    output: 'always',
    parameterSets: {
      Path: ['Path', 'PathType', 'IsValid', 'OlderThan', 'NewerThan', ...PROVIDER_PATH_SHARED],
      LiteralPath: ['LiteralPath', 'PathType', 'IsValid', 'OlderThan', 'NewerThan', ...PROVIDER_PATH_SHARED],
    },
    aliases: { PSPath: 'LiteralPath', Type: 'PathType' },
  },
  'Join-Path': { output: 'always', parameterSets: { Path: ['Path', 'ChildPath', 'Resolve', 'Credential', 'UseTransaction'] }, aliases: { PSPath: 'Path' } },
  'Split-Path': {
    output: 'always',
    parameterSets: {
      ParentSet: ['Path', 'Parent', 'Resolve', 'Credential', 'UseTransaction'],
      LeafSet: ['Path', 'Leaf', 'Resolve', 'Credential', 'UseTransaction'],
      QualifierSet: ['Path', 'Qualifier', 'Resolve', 'Credential', 'UseTransaction'],
      NoQualifierSet: ['Path', 'NoQualifier', 'Resolve', 'Credential', 'UseTransaction'],
      IsAbsoluteSet: ['Path', 'IsAbsolute', 'Resolve', 'Credential', 'UseTransaction'],
      LiteralPathSet: ['LiteralPath', 'Resolve', 'Credential', 'UseTransaction'],
    },
    aliases: { PSPath: 'LiteralPath' },
  },
  'ConvertTo-Json': { output: 'always', parameterSets: { Default: ['InputObject', 'Depth', 'Compress'] } },
  'ConvertFrom-Json': { output: 'always', parameterSets: { Default: ['InputObject'] } },
  'Import-Module': {
    output: 'passthru',
    parameterSets: {
      Name: ['Name', 'Global', 'Prefix', 'Function', 'Cmdlet', 'Variable', 'Alias', 'Force', 'PassThru', 'AsCustomObject', 'MinimumVersion', 'MaximumVersion', 'RequiredVersion', 'ArgumentList', 'DisableNameChecking', 'NoClobber', 'Scope'],
    },
    aliases: { Version: 'MinimumVersion', Args: 'ArgumentList' },
  },
  'Remove-TypeData': {
    output: 'none',
    parameterSets: { RemoveTypeDataSet: ['TypeData', ...CONFIRM], RemoveTypeSet: ['TypeName', ...CONFIRM], RemoveFileSet: ['Path', ...CONFIRM] },
  },
  'Sort-Object': { output: 'always', parameterSets: { Default: ['Property', 'Descending', 'Unique', 'InputObject', 'Culture', 'CaseSensitive'] } },
  'Out-Null': { output: 'none', parameterSets: { Default: ['InputObject'] } },
  'Start-Sleep': { output: 'none', parameterSets: { Seconds: ['Seconds'], Milliseconds: ['Milliseconds'] } },
};

/** Never callable from a script: they run text as code or start processes outside the session. */
export const FORBIDDEN_COMMANDS: readonly string[] = [
  'Invoke-Expression',
  'iex',
  'Add-Type',
  'Start-Process',
  'Invoke-Command',
  'icm',
  'Invoke-Item',
  'New-Module',
  'Start-Job',
  'powershell',
  'powershell.exe',
  'pwsh',
  'pwsh.exe',
  'cmd',
  'cmd.exe',
];
