build/emufail.o: src/emufail.S
