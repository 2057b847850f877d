console.error('stridewise: command line not available yet'); process.exit(2);
