// Test cards from the provider docs are fine in fixtures.
const cards = ["4242424242424242", "5555555555554444"];
const key = "AQEyhmfxK4PJahZCw0m/n3Q5qf3VaY9UCJ14XWZE03G/k2NFiqRtfAhS8LyKDHgCYlUbZ3EQwV1bDb7kfNy1WIxIIkxgBw==-rfzK8y7M8dJm32vUQbMCg9nh9E1aQyzQwbtjpdP8LWM=-kZ3pq8e2r";
