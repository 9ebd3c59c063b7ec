module.exports = {
  a: `open,
};
