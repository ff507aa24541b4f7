import Input

// The offline geocoder arrives with issue 3.
