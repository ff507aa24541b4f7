import Input
import Risk
import Rendering
import Output
