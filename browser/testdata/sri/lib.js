window.lib = 1;
