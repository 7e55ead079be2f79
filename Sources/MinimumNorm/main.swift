import ImplicitRegCore
import ReadingSupport

BLASRuntime.useRecognisedKernel()
SubnormalFlushing.enable()

ReadingCommand<MinimumNorm>.main()
