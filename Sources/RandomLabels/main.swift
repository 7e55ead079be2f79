import ImplicitRegCore
import ReadingSupport

BLASRuntime.useRecognisedKernel()
SubnormalFlushing.enable()

ReadingCommand<RandomLabels>.main()
