document.getElementById('quantity-input').addEventListener('change', (e) => {
  e.target.value = Math.min(10, Math.max(1, e.target.value));
});
