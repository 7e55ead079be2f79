import ImplicitRegCore
import ReadingSupport

BLASRuntime.useRecognisedKernel()
SubnormalFlushing.enable()

ReadingCommand<SGDRegularizer>.main()
