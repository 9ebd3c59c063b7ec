const addMessage = (message) => {
  const el = document.querySelector('#messages');
  el.style.display = 'block';
  el.append(document.createTextNode(message), document.createElement('br'));
};
